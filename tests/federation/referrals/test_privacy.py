"""The personal-data scanner and the pseudonyms (issue 10).

The corpus is written by hand in French, Dutch and English, in the formats people type:
at least 100 shapes of personal data refused, 30 innocent notes that look like them
accepted. Every shape is also sent through the API once: refused with the field's
pointer and the kind, never the data.
"""

from __future__ import annotations

import hashlib
import random
import uuid

import phonenumbers
import pytest
from flask_babel import force_locale
from stdnum.be import ssn

from federation.referrals import privacy
from federation.referrals.privacy import personal_data_kinds
from tests.federation.referrals.conftest import REFERRALS, referral_body

#: (text, the kind that must be found)
PERSONAL_DATA = [
    # e-mail addresses, plain and disguised
    ("Contact: jan.peeters@gmail.com", "email"),
    ("mail naar sarah_v@telenet.be aub", "email"),
    ("écrire à fatima.el-amrani@hotmail.fr", "email"),
    ("her address is lea+jobs@proton.me", "email"),
    ("yassine [at] outlook [dot] com", "email"),
    ("yassine(at)outlook.com", "email"),
    ("karim at skynet dot be", "email"),
    ("tom {at} kpn {punt} nl", "email"),
    ("Courriel : M.Dubois@Mail.Example.BE", "email"),
    ("e-mail: a.b@c-d.eu voor afspraak", "email"),
    ("jeune.homme arobase gmail point com", "email"),
    ("sofie @ scarlet . be", "email"),
    # phone numbers: Belgian, French, Dutch, international
    ("bel 0475 12 34 56", "phone"),
    ("gsm: 0475/12.34.56", "phone"),
    ("GSM 0498123456", "phone"),
    ("tél. 02 555 12 12", "phone"),
    ("téléphone: 02/555.12.12", "phone"),
    ("fixe 04 222 33 44 (Liège)", "phone"),
    ("joignable au +32 475 12 34 56", "phone"),
    ("+32475123456", "phone"),
    ("0032 475 12 34 56", "phone"),
    ("0032-2-555-12-12", "phone"),
    ("appelez le 06 12 34 56 78", "phone"),
    ("portable 06.12.34.56.78", "phone"),
    ("mobile: 07-12-34-56-78", "phone"),
    ("+33 6 12 34 56 78", "phone"),
    ("+33612345678", "phone"),
    ("0033 1 42 68 53 00", "phone"),
    ("bellen naar 06-12345678", "phone"),
    ("mobiel 06 1234 5678", "phone"),
    ("vast 020 123 4567", "phone"),
    ("+31 6 12345678", "phone"),
    ("+31 (0)20 123 4567", "phone"),
    ("0031 6 1234 5678", "phone"),
    ("WhatsApp +44 7911 123456", "phone"),
    ("phone +1 415 555 2671", "phone"),
    ("call +212 661 234 567 (family in Morocco)", "phone"),
    ("Tel: (02) 555 12 12", "phone"),
    ("gsm moeder 0479 98 76 54", "phone"),
    ("num: 0470.11.22.33", "phone"),
    # national register and BIS numbers, with their check (births before and from 2000)
    ("RRN 85.07.30-033.28", "national_number"),
    ("NN: 85073003328", "national_number"),
    ("rijksregisternummer 93.02.14-123.66", "national_number"),
    ("numéro national 93021412366", "national_number"),
    ("INSZ 03.05.12-456.87", "national_number"),
    ("NISS 03051245687", "national_number"),
    ("national number 05 01 01 789 01", "national_number"),
    ("RR 99.09.23-001.93", "national_number"),
    ("rrn 01123122249", "national_number"),
    ("BIS 85.27.30-033.71", "national_number"),
    ("bisnummer 85273003371", "national_number"),
    ("numéro BIS 03.45.12-456.76", "national_number"),
    ("id 030512-456-87", "national_number"),
    ("NN 85/07/30/033/28", "national_number"),
    # IBANs
    ("IBAN BE71 0961 2345 6769", "iban"),
    ("rekening BE71096123456769", "iban"),
    ("compte: be71 0961 2345 6769", "iban"),
    ("NL91 ABNA 0417 1643 00", "iban"),
    ("NL91ABNA0417164300", "iban"),
    ("FR14 2004 1010 0505 0001 3M02 606", "iban"),
    ("IBAN: FR1420041010050500013M02606", "iban"),
    ("DE89 3704 0044 0532 0130 00", "iban"),
    ("LU28 0019 4006 4475 0000", "iban"),
    ("payment to GB82 WEST 1234 5698 7654 32", "iban"),
    # web addresses
    ("see https://www.facebook.com/lea.dupont", "url"),
    ("profile: http://linkedin.com/in/jan-peeters", "url"),
    ("www.instagram.com/yassine_22", "url"),
    ("her blog lea-dupont.be", "url"),
    ("cv sur monsite.fr/cv.pdf", "url"),
    ("tiktok.com/@sofie", "url"),
    ("HTTPS://EXAMPLE.ORG/PERSON/42", "url"),
    ("bit.ly/3abcDEF", "url"),
    ("zie jan.peeters.nl", "url"),
    ("drive.google.com/file/d/abc", "url"),
    ("dossier op https://intranet/jan-peeters", "url"),
    # dates of birth
    ("born 03/04/2004", "date_of_birth"),
    ("né le 12/05/2003", "date_of_birth"),
    ("née le 1er mars 2004", "date_of_birth"),
    ("geboren op 12-05-2003", "date_of_birth"),
    ("geboren 3 maart 2004", "date_of_birth"),
    ("date de naissance : 2004-03-12", "date_of_birth"),
    ("DOB 2003-11-30", "date_of_birth"),
    ("geboortedatum: 30.11.2003", "date_of_birth"),
    ("birth date: March 3, 2004", "date_of_birth"),
    ("born on 12 May 2003", "date_of_birth"),
    ("né en 2004", "date_of_birth"),
    ("born in 2003 in Antwerp", "date_of_birth"),
    ("geboren in 2001", "date_of_birth"),
    ("12/05/03", "date_of_birth"),
    ("anniversaire 14.02.2005", "date_of_birth"),
    ("°12/05/2003", "date_of_birth"),
    # a birth said without a digit
    ("née en mars, cherche un emploi", "date_of_birth"),
    ("geboren in maart", "date_of_birth"),
    ("born in May in Ghent", "date_of_birth"),
    # exact ages
    ("il a 22 ans", "age"),
    ("elle a 19 ans et cherche", "age"),
    ("jeune de 24 ans", "age"),
    ("hij is 21 jaar", "age"),
    ("een 23-jarige jongen", "age"),
    ("22 years old", "age"),
    ("a 22-year-old woman", "age"),
    ("aged 20, wants to study", "age"),
    ("âgé de 25 ans", "age"),
    ("âgée de 18", "age"),
    ("leeftijd: 19", "age"),
    ("age: 23", "age"),
    ("he is 20 yo", "age"),
    ("17 y/o", "age"),
    ("een jongen van 18 jaar", "age"),
]

#: notes that look like personal data and are not
INNOCENT = [
    "The programme lasts 12 weeks, 2 hours a week.",
    "Le programme dure 12 semaines.",
    "Het traject duurt 6 maanden.",
    "Lives near 1080, prefers to meet in Molenbeek.",
    "Habite près de 1080.",
    "Born to lead: she organised her youth club's camp.",
    "Un leader né.",
    "Available for the school year 2025-2026.",
    "Disponible pour l'année scolaire 2024-2025.",
    "Beschikbaar vanaf 2026-12-15 voor een eerste gesprek.",
    "Start on 15/01/2026 if possible.",
    "Depuis 3 ans en Belgique.",
    "Sinds 2 jaar in België.",
    "Has worked for 5 years in retail.",
    "Looking for a mentor aged 50 or more.",
    "Mentor de plus de 50 ans souhaité.",
    "Wants a mentor with 20 years of experience.",
    "Cherche un mentor avec 10 ans d'expérience.",
    "Speaks French and Arabic; learning Dutch (level A2).",
    "Needs help with a CV and interviews, 3 times a month.",
    "Prefers evenings after 18:00.",
    "Wil graag 1 keer per week afspreken, 2 uur.",
    "Goal: a job in logistics within 6 months.",
    "Objectif : trouver un emploi dans les 6 mois.",
    "Has a driving licence (B).",
    "Finished secondary school in June 2024.",
    "Heeft het diploma secundair onderwijs (2023).",
    "Interested in the 16-25 programme in Brussels.",
    "Room 2.14 at the job centre on Mondays.",
    "Attended 4 of the 5 workshops in 2025.",
    "Score 7/10 on the digital skills test.",
    "Bus line 86 is the easiest way to come.",
    "Studies at the Erasmushogeschool, first year.",
]


def test_the_corpus_is_large_enough():
    assert len(PERSONAL_DATA) >= 100 and len(INNOCENT) >= 30
    languages = {"fr": "né", "nl": "geboren", "en": "born"}
    assert all(any(word in text for text, _ in PERSONAL_DATA) for word in languages.values())


@pytest.mark.parametrize(("text", "kind"), PERSONAL_DATA)
def test_personal_data_is_found_with_its_kind(text, kind):
    assert kind in personal_data_kinds(text), text


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_notes_pass(text):
    assert personal_data_kinds(text) == [], text


def test_generated_identifiers_are_no_phone_numbers():
    """Member systems' pseudonyms are often UUIDs or digests; about one in fourteen random
    UUIDs holds digits that dial as a number ("…0475123456…"), and `make soak` saw them
    refused. Identifiers pass; the same digits written as a number are still found."""
    rng = random.Random(10)
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(3000)]
    ids += [hashlib.sha256(str(n).encode()).hexdigest()[:24] for n in range(1000)]
    ids += ["3f2c0475123456ab", "a0475123456b0c1d2e3f", "7d444840-9dc0-11d1-b245-5ffdce74fad2"]
    assert [i for i in ids if personal_data_kinds(i)] == []
    assert [i for i in ids if personal_data_kinds(f"ref {i}, seen twice")] == []
    assert personal_data_kinds("ref 3f2c0475123456ab, call 0475123456") == ["phone"]
    assert personal_data_kinds("0475123456") == ["phone"]
    assert personal_data_kinds("ab0475123456") == ["phone"]  # too short for a digest


def test_a_uuid_is_accepted_as_subject_ref_by_the_api(send):
    assert send(subject_ref="08208d09-0973-489c-bd06-143769b1dcbf").status_code == 201


def test_the_national_numbers_carry_their_check():
    """A wrong check digit is no national number (it may still look like a phone)."""
    assert ssn.is_valid("03051245687")  # born in 2003: the check is computed on 2 + digits
    assert "national_number" not in personal_data_kinds("RRN 85.07.30-033.29")


def test_each_shape_is_refused_by_the_api_without_echoing_it(client, pair):
    for text, kind in PERSONAL_DATA:
        response = client.post(
            REFERRALS, json=referral_body(pair.programme, note=text), headers=pair.sender_headers
        )
        assert response.status_code == 422, text
        [error] = response.json["errors"]
        assert error["pointer"] == "/note"
        with force_locale("en"):
            assert str(privacy.KINDS[kind]) in error["detail"]
        assert text not in response.get_data(as_text=True)


def test_every_free_text_is_scanned(send, pair):
    consent = referral_body(pair.programme)["consent"] | {"text_version": "jan@x.be"}
    response = send(consent=consent)
    assert response.json["errors"][0]["pointer"] == "/consent/text_version"
    assert send(subject_ref="0475 12 34 56").json["errors"][0]["pointer"] == "/subject_ref"


def test_innocent_notes_are_accepted_by_the_api(client, pair):
    for n, text in enumerate(INNOCENT):
        body = referral_body(pair.programme, note=text, subject_ref=f"innocent-{n}")
        response = client.post(REFERRALS, json=body, headers=pair.sender_headers)
        assert response.status_code == 201, (text, response.json)


def test_pseudonyms_are_per_receiver_keyed_and_rotatable(app):
    with app.test_request_context():
        a = privacy.receiver_pseudonym(1, 10, "case-1")
        assert a == privacy.receiver_pseudonym(1, 10, "case-1")
        assert a != privacy.receiver_pseudonym(1, 11, "case-1")  # another receiver
        assert a != privacy.receiver_pseudonym(2, 10, "case-1")  # another sender's "case-1"
        sender = privacy.sender_pseudonym(1, "case-1")
        assert sender not in (a, "case-1") and len(sender) == 64
        old_secret, old_id = app.config["PSEUDONYM_SECRET"], app.config["PSEUDONYM_KEY_ID"]
        app.config.update(
            PSEUDONYM_SECRET="a-new-secret-after-rotation-0123456789",
            PSEUDONYM_KEY_ID="k2",
            PSEUDONYM_PREVIOUS_SECRETS=f"{old_id}={old_secret}",
        )
        try:
            assert privacy.receiver_pseudonym(1, 10, "case-1") != a
            assert privacy.known_key_ids() == ["k2", old_id]
            assert privacy.sender_pseudonym(1, "case-1", old_id) == sender
        finally:
            app.config.update(
                PSEUDONYM_SECRET=old_secret, PSEUDONYM_KEY_ID=old_id, PSEUDONYM_PREVIOUS_SECRETS=""
            )


def test_codes_have_no_ambiguous_characters():
    codes = {privacy.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(privacy.CODE.fullmatch(code) for code in codes)
    assert not set("".join(codes)) & set("0O1IL5S2Z8BUV")


def test_no_phone_number_is_written_with_fewer_digits_than_the_scanner_looks_for():
    """The scanner reads no phone number where it finds no MIN_PHONE_DIGITS digits joined by
    separators: no valid number of any region or non-geographic code (with its country code)
    or of the scanned regions (nationally) is shorter."""
    from phonenumbers import PhoneMetadata

    metadata = [*map(PhoneMetadata.metadata_for_region, phonenumbers.SUPPORTED_REGIONS)]
    metadata += map(
        PhoneMetadata.metadata_for_nongeo_region, phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS
    )
    assert all(meta.general_desc.possible_length for meta in metadata)
    shortest_international = min(
        len(str(meta.country_code)) + min(meta.general_desc.possible_length) for meta in metadata
    )
    shortest_national = min(
        min(PhoneMetadata.metadata_for_region(region).general_desc.possible_length)
        for region in privacy.PHONE_REGIONS
    )
    assert min(shortest_international, shortest_national) >= privacy.MIN_PHONE_DIGITS
