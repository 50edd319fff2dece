"""Topic suggestions offered by the low-confidence fallback."""
from bot.nlu.suggestions import suggest_topics, topic_payload

TITLES = {
    "apec_fee": {"zh": "APEC卡费用", "en": "APEC card fee"},
    "apec_time": {"zh": "APEC卡办理时间", "en": "APEC card processing time"},
    "consular_12308": {"zh": "12308热线怎么拨", "en": "How to dial 12308"},
}


def parse_data(faq=0.5, check_status=0.3, ranking=(("apec_fee", 0.6), ("apec_time", 0.3), ("consular_12308", 0.1))):
    return {
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.55},
            {"name": "faq", "confidence": faq},
            {"name": "check_status", "confidence": check_status},
            {"name": "greet", "confidence": 0.1},
        ],
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": f"faq/{k}", "confidence": c} for k, c in ranking]}
        },
    }


def test_offers_three_likeliest_topics_in_the_users_language():
    assert suggest_topics(parse_data(), TITLES, "zh") == [
        ("APEC卡费用", topic_payload("apec_fee")),
        ("查询申请进度", "/check_status"),
        ("APEC卡办理时间", topic_payload("apec_time")),
    ]
    assert suggest_topics(parse_data(), TITLES, "en")[0] == ("APEC card fee", topic_payload("apec_fee"))


def test_never_offers_greetings_or_fallback_and_skips_untitled_keys():
    data = parse_data(ranking=(("unknown_key", 0.9), ("apec_time", 0.1)))
    titles = [title for title, _payload in suggest_topics(data, TITLES, "en")]
    assert titles == ["Check an application", "APEC card processing time"]


def test_no_parse_data_gives_no_suggestions():
    assert suggest_topics({}, TITLES, "zh") == []


def test_payload_names_the_topic_as_an_entity():
    assert topic_payload("apec_fee") == '/choose_topic{"faq_key": "apec_fee"}'
