"""Topic and aspect reading, and the decision to answer, clarify, say "no answer" or decline."""
import datetime

import pytest

from bot.knowledge import Entry, KnowledgeBase, Source, Term
from bot.nlu.understanding import Context, Lexicons, read_message, resolve

SOURCE = (Source("https://www.gov.cn/x", {"zh": "政府", "en": "gov"}, datetime.date(2025, 1, 1)),)


def entry(entry_id: str, topic: str, aspect: str, cues=None, emergency=None) -> Entry:
    return Entry(entry_id, topic, aspect, {"zh": "答。", "en": "Answer."}, SOURCE, datetime.date(2026, 12, 2),
                 cues=cues or {}, emergency=emergency)


def term(term_id: str, zh, en, places=None) -> Term:
    return Term(term_id, {"zh": term_id, "en": term_id}, {"zh": tuple(zh), "en": tuple(en)},
                {"zh": f"{term_id}转介", "en": f"{term_id} referral"}, places or {})


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    topics = {
        "apec": term("apec", ["apec", "商务旅行卡"], ["apec", "business travel card"]),
        "invitation": term("invitation", ["邀请函"], ["invitation letter"]),
        "consular": term("consular", ["领事", "国外"], ["abroad", "chinese citizen"], {"zh": ("迪拜",), "en": ("paris",)}),
        "passport": term("passport", ["护照丢"], ["lost my passport"]),
    }
    aspects = {
        "fee": term("fee", ["多少钱", "费用"], ["how much", "cost", "fee"]),
        "validity": term("validity", ["有效期"], ["valid"]),
        "loss": term("loss", ["丢了", "丢失"], ["lost"]),
    }
    services = {"rail": term("rail", ["火车票"], ["train ticket"])}
    entries = [
        entry("apec_fee", "apec", "fee"), entry("apec_validity", "apec", "validity"),
        entry("apec_hk", "apec", "hk_taiwan", {"zh": ("香港",), "en": ("hong kong",)}),
        entry("invite_fee", "invitation", "fee"), entry("invite_types", "invitation", "types"),
        entry("consular_loss", "consular", "loss"),
        entry("consular_detained", "consular", "detained", {"zh": ("被抓",), "en": ("arrested",)}, emergency="abroad"),
        entry("consular_enterprise", "consular", "enterprise", {"zh": ("员工",), "en": ("employee",)}),
        entry("passport_loss", "passport", "loss"),
    ]
    return KnowledgeBase(entries, topics, aspects, services)


@pytest.fixture(scope="module")
def lexicons(kb) -> Lexicons:
    return Lexicons(kb)


def decide(text, kb, lexicons, ranking=None, faq=0.9, context=Context()):
    return resolve(read_message(text, lexicons), ranking or {}, faq, kb, context)


def test_a_topic_and_an_aspect_named_in_the_question_give_their_answer(kb, lexicons) -> None:
    decision = decide("APEC商务旅行卡申请费用是多少？", kb, lexicons, {"apec_validity": 0.5, "apec_fee": 0.2})
    assert (decision.kind, decision.entry_id) == ("answer", "apec_fee")


def test_an_entry_specific_aspect_counts_only_within_its_topic(kb, lexicons) -> None:
    assert decide("can I use the APEC card in Hong Kong?", kb, lexicons).entry_id == "apec_hk"
    assert read_message("邀请函 香港", lexicons).aspect is None


def test_a_follow_up_naming_only_an_aspect_stays_in_the_previous_topic(kb, lexicons) -> None:
    decision = decide("how much does it cost?", kb, lexicons, context=Context("invitation", "types"))
    assert decision.entry_id == "invite_fee"


def test_a_follow_up_naming_only_a_topic_keeps_the_previous_aspect(kb, lexicons) -> None:
    decision = decide("邀请函呢？", kb, lexicons, {"invite_types": 0.9}, context=Context("apec", "fee"))
    assert decision.entry_id == "invite_fee"


def test_a_pair_without_an_answer_is_said_honestly(kb, lexicons) -> None:
    decision = decide("邀请函有效期多久", kb, lexicons, {"invite_types": 0.3})
    assert decision.kind == "no_answer" and decision.topic == "invitation" and decision.aspect == "validity"


def test_a_question_without_any_of_our_topics_is_at_most_clarified_unless_the_classifier_is_sure(kb, lexicons) -> None:
    decision = decide("这个多少钱", kb, lexicons, {"apec_fee": 0.5, "invite_fee": 0.4}, faq=0.9)
    assert decision.kind == "clarify" and decision.entry_id is None
    assert decide("这个多少钱", kb, lexicons, {"apec_fee": 0.99}, faq=0.99).entry_id == "apec_fee"
    assert decide("这个有效期多久", kb, lexicons, {"apec_fee": 0.99}, faq=0.99).kind == "clarify"


def test_a_foreign_place_decides_the_topic_only_when_nothing_else_does(kb, lexicons) -> None:
    assert decide("迪拜 员工 被抓", kb, lexicons).entry_id == "consular_detained"
    assert decide("去迪拜多少钱", kb, lexicons, context=Context("apec", "validity")).entry_id == "apec_fee"


def test_another_agencys_service_is_declined_with_its_channel(kb, lexicons) -> None:
    decision = decide("火车票多少钱", kb, lexicons, {"apec_fee": 0.9}, context=Context("apec", "fee"))
    assert (decision.kind, decision.service) == ("decline", "rail")


def test_a_citizen_abroad_is_consular_even_when_a_passport_is_named(kb, lexicons) -> None:
    decision = decide("I'm a Chinese citizen and lost my passport in Paris", kb, lexicons, {"passport_loss": 0.9})
    assert decision.entry_id == "consular_loss"


def test_an_incident_abroad_outweighs_other_aspects(kb, lexicons) -> None:
    assert decide("我们员工在迪拜被抓了", kb, lexicons).entry_id == "consular_detained"


def test_a_negated_topic_does_not_count(kb, lexicons) -> None:
    assert read_message("不是APEC卡，是邀请函", lexicons).topic == "invitation"


def test_a_sure_classifier_overrides_a_loose_aspect_cue_within_the_topic(kb, lexicons) -> None:
    decision = decide("邀请函的种类和费用", kb, lexicons, {"invite_types": 0.95, "invite_fee": 0.01}, faq=0.95)
    assert decision.entry_id == "invite_types"


def test_within_a_topic_an_unsure_classifier_leads_to_a_clarifying_question(kb, lexicons) -> None:
    decision = decide("APEC卡的事", kb, lexicons, {"apec_fee": 0.3, "apec_validity": 0.3, "apec_hk": 0.3})
    assert decision.kind == "clarify" and set(decision.choices) >= {"apec_fee", "apec_validity"}


def test_cues_and_classifier_disagreeing_on_the_topic_itself_lead_to_a_question(kb, lexicons) -> None:
    # The cues say APEC fee; the classifier does not rank that answer at all and puts the question
    # under invitation letters, a topic the message does not name: ask, do not guess.
    decision = decide("APEC费用", kb, lexicons, {"invite_types": 0.6, "passport_loss": 0.1})
    assert (decision.kind, decision.choices) == ("clarify", ["apec_fee", "invite_types"])
    # When the classifier ranks the cues' answer at all, the cues decide.
    assert decide("APEC费用", kb, lexicons, {"invite_types": 0.6, "apec_fee": 0.05}).entry_id == "apec_fee"


def test_a_long_repetitive_message_is_read_whole(kb, lexicons) -> None:
    reading = read_message("邀请函" * 5000, lexicons)
    assert reading.topics == {"invitation": 15000.0}


def test_an_incident_at_a_foreign_place_is_consular_and_a_visitor_from_there_is_not(kb, lexicons) -> None:
    assert decide("同事在迪拜护照丢了", kb, lexicons).entry_id == "consular_loss"
    assert decide("迪拜来的客户护照丢了", kb, lexicons).entry_id == "passport_loss"


def test_a_foreign_place_says_where_someone_is_from_when_the_message_is_in_beijing(kb, lexicons) -> None:
    assert decide("我丈夫在迪拜工作，现在在北京护照丢了", kb, lexicons).entry_id == "passport_loss"


def test_within_a_topic_a_clear_leader_is_answered_and_a_near_tie_is_asked(kb, lexicons) -> None:
    assert decide("APEC卡的事", kb, lexicons, {"apec_fee": 0.6, "apec_validity": 0.2}).entry_id == "apec_fee"
    assert decide("APEC卡的事", kb, lexicons, {"apec_fee": 0.45, "apec_validity": 0.4}).kind == "clarify"
