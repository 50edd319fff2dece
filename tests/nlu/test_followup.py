"""Follow-up questions are read in the topic of the previous answer."""
from bot.nlu.followup import area_of, choose_faq_key, names_a_topic


def parse(text, *keys):
    return {
        "text": text,
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": f"faq/{k}", "confidence": 0.1} for k in keys]}
        },
    }


def test_topicless_follow_up_takes_the_previous_topic():
    data = parse("how much does it cost?", "invite_time_fee", "apec_fee", "consular_costs")
    assert choose_faq_key(data, previous_area="apec") == "apec_fee"
    assert choose_faq_key(data, previous_area="consular") == "consular_costs"


def test_question_that_names_its_topic_is_taken_as_it_is():
    data = parse("邀请函要多少钱", "invite_time_fee", "apec_fee")
    assert choose_faq_key(data, previous_area="apec") == "invite_time_fee"


def test_without_context_the_best_answer_wins():
    data = parse("多少钱", "invite_time_fee", "apec_fee")
    assert choose_faq_key(data, previous_area=None) == "invite_time_fee"


def test_in_topic_answer_too_far_down_is_not_forced():
    data = parse("多少钱", "a_1", "b_2", "c_3", "d_4", "e_5", "apec_fee")
    assert choose_faq_key(data, previous_area="apec") == "a_1"


def test_area_and_topic_words():
    assert area_of("resident_lost_passport") == "resident"
    assert names_a_topic("APEC卡多少钱") and names_a_topic("what about the Visa?")
    assert not names_a_topic("多少钱？") and not names_a_topic("how long does it take")


def test_no_ranking_gives_no_key():
    assert choose_faq_key({"text": "x"}, "apec") is None
