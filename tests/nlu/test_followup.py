"""Follow-up questions are read in the topic of the previous answer."""
from bot.nlu.followup import area_of, aspect_of, choose_faq_key, follow_up_answer, names_a_topic


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
    data = parse("那这个怎么弄", "a_1", "b_2", "c_3", "d_4", "e_5", "apec_thresholds")
    assert choose_faq_key(data, previous_area="apec") == "a_1"


def test_known_aspect_of_the_previous_topic_wins_over_the_ranking():
    data = parse("多少钱", "a_1", "b_2", "c_3", "d_4", "e_5", "apec_time")
    assert choose_faq_key(data, previous_area="apec") == "apec_fee"


def test_area_and_topic_words():
    assert area_of("resident_lost_passport") == "resident"
    assert names_a_topic("APEC卡多少钱") and names_a_topic("what about the Visa?")
    assert not names_a_topic("多少钱？") and not names_a_topic("how long does it take")


def test_no_ranking_gives_no_key():
    assert choose_faq_key({"text": "x"}, "apec") is None


def test_aspect_follow_up_answers_that_aspect_of_the_previous_topic():
    assert follow_up_answer("那要多少钱", "apec") == "apec_fee"
    assert follow_up_answer("roughly how long does it take?", "invite") == "invite_time_fee"
    assert follow_up_answer("不去的话会怎么样", "registration") == "resident_registration_penalty"
    assert follow_up_answer("is it free?", "consular") == "consular_costs"
    assert follow_up_answer("which documents do I need to bring?", "registration") == "resident_registration"


def test_aspect_follow_up_needs_a_previous_topic_an_aspect_and_no_topic_of_its_own():
    assert follow_up_answer("那要多少钱", None) is None
    assert follow_up_answer("谢谢", "apec") is None
    assert follow_up_answer("邀请函多少钱", "apec") is None
    assert follow_up_answer("how much", "official") is None


def test_registration_keys_have_their_own_area():
    assert area_of("resident_registration") == "registration"
    assert area_of("resident_permit") == "resident"
    assert aspect_of("what's the fine") == "penalty"
    assert aspect_of("free parking nearby") == "cost"
    assert aspect_of("hello") is None
