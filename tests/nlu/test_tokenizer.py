"""The bilingual tokenizer: segmentation, lemmas, offsets, and no noise tokens."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import segmenter
from bot.nlu.tokenizer import DEFAULT_DICTIONARY_FOLDER, BilingualTokenizer, split_tokens


@pytest.fixture(scope="module", autouse=True)
def domain_dictionary():
    segmenter.load_dictionary_folder(DEFAULT_DICTIONARY_FOLDER)


def words(text):
    return [token for token, _start, _lemma in split_tokens(text)]


def assert_offsets_point_into(text):
    for token, start, _lemma in split_tokens(text):
        assert text[start : start + len(token)] == token


def test_empty_and_blank_text_have_no_tokens():
    assert split_tokens("") == []
    assert split_tokens("   \n\t ") == []


def test_punctuation_only_text_has_no_tokens():
    assert split_tokens("，。？！、；：“”（）……") == []
    assert split_tokens("?!... --- ,") == []


def test_emoji_only_text_keeps_the_emoji_as_tokens():
    assert words("👍🙏") == ["👍", "🙏"]


def test_digits_only_text_is_one_token():
    assert words("12308") == ["12308"]
    assert words("4821") == ["4821"]


def test_full_width_punctuation_is_dropped_and_words_kept():
    assert words("你好！请问APEC卡多少钱？") == ["你好", "请问", "APEC卡", "多少", "钱"]


def test_domain_terms_stay_whole():
    assert words("我们想办APEC商务旅行卡")[-1] == "APEC商务旅行卡"
    assert "邀请核实单" in words("邀请核实单怎么开")
    assert "领事保护" in words("领事保护包括什么")
    assert "东城区" in words("东城区外办在哪")


def test_reference_numbers_and_phone_numbers_are_single_tokens():
    assert "ABTC-2024-000107" in words("查一下ABTC-2024-000107的进度")
    assert "ABTC-2024-000107" in words("status of ABTC-2024-000107?")
    assert "+86-10-12308" in words("dial +86-10-12308 from abroad")


def test_full_width_reference_number_is_one_token_with_original_text():
    text = "ＡＢＴＣ－２０２５－０００３１８ 状态"
    tokens = split_tokens(text)
    assert tokens[0][0] == "ＡＢＴＣ－２０２５－０００３１８"
    assert tokens[0][2] == "abtc-2025-000318"


def test_mixed_script_message_is_split_by_script():
    assert words("APEC卡 how long is it valid") == ["APEC卡", "how", "long", "is", "it", "valid"]
    assert words("我要 APEC card") == ["我要", "APEC", "card"]


def test_english_lemmas_come_from_spacy_lookup_tables():
    lemmas = {token: lemma for token, _start, lemma in split_tokens("Running visas cards isn't")}
    assert lemmas["Running"] == "run"
    assert lemmas["visas"] == "visa"
    assert lemmas["cards"] == "card"
    assert lemmas["n't"] == "not"


def test_traditional_characters_get_simplified_lemmas():
    tokens = split_tokens("護照遺失怎麼辦")
    assert [token for token, _s, _l in tokens] == ["護照", "遺失", "怎麼辦"]
    assert [lemma for _t, _s, lemma in tokens] == ["护照", "遗失", "怎么办"]


@pytest.mark.parametrize(
    "text",
    [
        "APEC卡 how long is it valid",
        "我的ABTC-2025-000318申请到哪一步了？",
        "ＡＢＴＣ－２０２５－０００３１８ 状态",
        "Hi 👋 我想问一下 12308, ok?",
        "  leading spaces and 中文 mixed  ",
        "護照遺失怎麼辦",
    ],
)
def test_offsets_point_into_the_original_text(text):
    assert_offsets_point_into(text)


def test_component_returns_rasa_tokens_with_lemmas_and_offsets():
    tokenizer = BilingualTokenizer(BilingualTokenizer.get_default_config(), None, None)
    message = Message.build(text="APEC卡 cards")
    tokens = tokenizer.tokenize(message, "text")
    assert [(t.text, t.start, t.end, t.lemma) for t in tokens] == [
        ("APEC卡", 0, 5, "apec卡"),
        ("cards", 6, 11, "card"),
    ]


def test_entity_annotation_on_a_reference_aligns_with_a_token():
    text = "编号是ABTC-2025-000318"
    start = text.index("ABTC")
    tokens = split_tokens(text)
    assert any(s == start and s + len(t) == len(text) for t, s, _l in tokens)
