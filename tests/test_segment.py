"""Sentences and tokens (analysis.text.segment), by hand on toy texts and on the seeds."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import toy

from analysis.text.segment import split_sentences, token_spans, tokenize

# --------------------------------------------------------------------------- tokens


def test_hyphenated_words_and_possessives():
    assert tokenize("The all-weather, win-win China's road & people-to-people ties.") == [
        "the", "all-weather", "win-win", "china", "'s", "road", "&", "people-to-people", "ties",
    ]


def test_numbers_initialisms_and_contractions():
    assert tokenize("H.E said 1.3 billion, 19th CPC; don't stop.") == [
        "h.e", "said", "1.3", "billion", "19th", "cpc", "don't", "stop",
    ]


def test_word_counts_exclude_clitics_and_ampersands(make_corpus):
    p = toy(make_corpus, "China's friends & brothers.")
    assert p.tokens["term"].tolist() == ["china", "'s", "friends", "&", "brothers"]
    assert p.tokens["is_word"].sum() == 3
    assert p.sentences["words"].tolist() == [3]


# --------------------------------------------------------------------------- sentences


def test_compatibility_forms_and_dotted_capital_i_fold_to_one_term(make_corpus):
    # Full-width letters, a ligature, the Turkish dotted capital I: the same terms as their
    # plain forms; the text and the surfaces keep what was written.
    raw = ("\uff32\uff4f\uff41\uff44 and road. \ufb01nance and finance. "
           "\u0130stanbul and istanbul. \u0130I.\n")
    p = toy(make_corpus, raw.encode())
    assert p.texts["t"] == raw
    words = p.tokens[p.tokens["is_word"]]
    assert words["token"].tolist()[:3:2] == ["\uff32\uff4f\uff41\uff44", "road"]
    assert words["term"].tolist() == ["road", "and", "road", "finance", "and", "finance",
                                      "istanbul", "and", "istanbul", "ii"]
    assert tokenize(raw) == words["term"].tolist()  # NLTK's tokenizer, folded the same


def test_abbreviations_do_not_end_sentences():
    text = ("The event was attended by Mr. Song Tao, minister. Defense Attache Brig. Shahid "
            "Amir Afsar came. H.E Arif Alvi sent a message.")
    assert split_sentences(text) == [
        "The event was attended by Mr. Song Tao, minister.",
        "Defense Attache Brig. Shahid Amir Afsar came.",
        "H.E Arif Alvi sent a message.",
    ]


def test_seed_sentences_keep_titles_with_names(seeds):
    texts = seeds.sentences["text"]
    assert texts.str.contains(r"attended by Mr\. Song Tao, minister of the IDCPC").any()
    assert not texts.str.endswith("Mr.").any()
    assert not texts.str.endswith("Brig.").any()


# --------------------------------------------------------------------------- sentence rules
# Each case: a paragraph and its sentences, split by hand.

SPLITS = [
    # abbreviations of the lexicon, curly and straight quotes before a title
    ("“Mr. Khan met the U.N. envoy at 5 p.m. on Jan. 3,” she said. He left.",
     ["“Mr. Khan met the U.N. envoy at 5 p.m. on Jan. 3,” she said.", "He left."]),
    ('He met "Mr. Li" and Rev. Smith, Gov. Shah and Sec. Blinken. They talked.',
     ['He met "Mr. Li" and Rev. Smith, Gov. Shah and Sec. Blinken.', "They talked."]),
    ("The bag weighed 5 lb. and 3 oz. when Op. 27 began. It held 20 mg. of salt.",
     ["The bag weighed 5 lb. and 3 oz. when Op. 27 began.", "It held 20 mg. of salt."]),
    # an abbreviation that may end a sentence: only before a word that starts sentences
    ("I work for the U.S. Government in Virginia. I live in the U.S. How about you?",
     ["I work for the U.S. Government in Virginia.", "I live in the U.S.", "How about you?"]),
    ("They met at 9 a.m. The talks ended at 6 p.m. Officials left.",
     ["They met at 9 a.m.", "The talks ended at 6 p.m. Officials left."]),
    ("Pitt, Briggs & Co. at noon. Let's ask Jane and co. They know.",
     ["Pitt, Briggs & Co. at noon.", "Let's ask Jane and co.", "They know."]),
    # initials before a surname, and an initial that ends a sentence
    ("John F. Kennedy and J. R. Smith came. It was plan B. Then they left.",
     ["John F. Kennedy and J. R. Smith came.", "It was plan B.", "Then they left."]),
    # closing quotes and brackets stay with their sentence; lower case continues one
    ('"Why?" he asked. (See the report.) Next. "It is done." she said.',
     ['"Why?" he asked.', "(See the report.)", "Next.", '"It is done." she said.']),
    ("He said “we will win.” Then he left. ‘Go!’ said Ali. (That was all.) It ended.",
     ["He said “we will win.”", "Then he left.", "‘Go!’ said Ali.", "(That was all.)",
      "It ended."]),
    ("“Sorry!” Imran Khan said. “Why?” He smiled.",
     ["“Sorry!” Imran Khan said.", "“Why?”", "He smiled."]),
    # reference marks, heading numbers, lists, ellipses, web text in lower case
    ("He died in 2014. [4] [5] She lived on. [citation needed]",
     ["He died in 2014. [4] [5]", "She lived on. [citation needed]"]),
    ("2.1. Methods of the study", ["2.1. Methods of the study"]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("I never meant that... She left. It was . . . I don't know. . . . Then he came.",
     ["I never meant that...", "She left.", "It was . . . I don't know. . . .",
      "Then he came."]),
    ("i loved it. why do you ask? because e.g. this one works.",
     ["i loved it.", "why do you ask? because e.g. this one works."]),
    # numbers and prices
    ("She has $100.00. It is in her bag. He came at 5. Six more came.",
     ["She has $100.00.", "It is in her bag.", "He came at 5.", "Six more came."]),
    # the seeds' titles and honorifics
    ("The event was attended by Mr. Song Tao, minister. Defense Attache Brig. Shahid "
     "Amir Afsar came. H.E Arif Alvi sent a message.",
     ["The event was attended by Mr. Song Tao, minister.",
      "Defense Attache Brig. Shahid Amir Afsar came.", "H.E Arif Alvi sent a message."]),
    ("No marks at all", ["No marks at all"]),
]


@pytest.mark.parametrize(("paragraph", "expected"), SPLITS)
def test_sentence_splits_by_hand(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_sentence_spans_are_offsets_into_the_paragraph():
    from analysis.text.segment import sentence_spans

    paragraph = 'He left.\tThen "we won." Fine'
    assert sentence_spans(paragraph) == [(0, 8), (9, 23), (24, 28)]


def test_sentence_spans_cover_random_paragraphs_in_order():
    # Whatever the rules decide, the spans tile the paragraph: in order, without overlap,
    # each stripped, only white space between them.
    import random

    from analysis.text.segment import sentence_spans

    words = ["word", "Word", "Mr", "J", "5", "1.3", "U.S", "e.g", "don't", "The", "★", "Co",
             "a", "1", "2", "[3]", "“Mr", "été", "A", "s", "(b", "said"]
    marks = [".", "?", "!", "", "", "", ".", "...", "?!", ".,", ";", ",", ". ."]
    closers = ["", "", "", '"', "'", ")", '")', "]", "\u201d", "\u2019"]
    spaces = [" ", " ", " ", "\t", "  ", "\u2003"]
    rng = random.Random(3)
    for _ in range(3000):
        paragraph = "".join(rng.choice(words) + rng.choice(marks) + rng.choice(closers)
                            + rng.choice(spaces) for _ in range(rng.randint(1, 9))).strip()
        spans = sentence_spans(paragraph)
        assert spans[0][0] == 0 and spans[-1][1] == len(paragraph), repr(paragraph)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start and paragraph[end:start].isspace(), repr(paragraph)
        for start, end in spans:
            assert paragraph[start:end] == paragraph[start:end].strip() != "", repr(paragraph)


def test_abbreviation_lexicon_is_well_formed():
    from analysis.lexicons import read_lexicon
    from analysis.text.segment import ABBREVIATION_KINDS, ABBREVIATIONS

    rows = read_lexicon("abbreviations")
    assert set(rows[0]) == {"abbreviation", "kind", "source"}
    forms = [row["abbreviation"] for row in rows]
    assert len(forms) == len(set(forms))
    assert all(form.endswith(".") and " " not in form for form in forms)
    assert all(row["source"] for row in rows)
    assert {row["kind"] for row in rows} == {
        "title", "rank", "suffix", "month", "weekday", "state", "unit", "latin",
        "organisation", "place", "reference", "initialism", "other"}
    assert ABBREVIATION_KINDS["Mr"] == "title" and ABBREVIATION_KINDS["sec"] == "unit"
    assert ABBREVIATION_KINDS["Sec"] == "title" and ABBREVIATION_KINDS["U.N"] == "initialism"
    assert {"mr", "u.s", "p.m", "calif", "lb"} <= ABBREVIATIONS


def test_sentence_splitting_needs_no_nltk():
    import subprocess
    import sys

    code = ("import sys; from analysis.text.segment import split_sentences; "
            "split_sentences('Mr. Li came... (He left.) Fine?!'); print('nltk' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_cli_sentences_of_one_document(cli, make_corpus):
    folder = make_corpus({"a.txt": "Title\nMr. Li met the U.N. envoy. They talked.\n",
                          "b.txt": "Other text.\n"})
    status, out, err = cli("sentences", "--corpus", str(folder), "--doc", "a",
                           "--format", "csv")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "doc,paragraph,sentence,start,end,text",
        "a,1,1,0,5,Title",
        "a,2,2,6,32,Mr. Li met the U.N. envoy.",
        "a,2,3,33,45,They talked.",
    ]


# TOKEN_PATTERN in its plain form; the module's pattern is written for speed (see its comment).
PLAIN_PATTERN = r"""(?x)
    \d+(?:[.,]\d+)+
  | (?:[^\W\d_]\.)+[^\W\d_](?![^\W_])
  | [^\W_]+(?:-[^\W_]+)*(?:'(?![sS]\b)[^\W_]+)*
  | '[sS]\b
  | &
"""


TOKEN_PROBES = (
    "U.S. U.S.A U.S.A. H.E. a.b.c1 a.b.cd A. e.g. 1.3 1,000.5 2.a 3, 1.2.3 win-win-win -x x- "
    "don't o'clock rock-'n'-roll China's the parties' 's 'S x's's Belt & Road ½ x² 3rd __x_y "
    "é.è.à Ünïcödé's dö-n't a--b 'twas'' l'état 12-15 1.3.x"
)


def test_token_pattern_matches_what_its_plain_form_matches(seeds):
    import re

    from analysis.text.segment import TOKEN_PATTERN

    fast, plain = re.compile(TOKEN_PATTERN), re.compile(PLAIN_PATTERN)
    for text in [TOKEN_PROBES, *seeds.texts.values()]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_compiled_token_scanner_is_built_and_used():
    # pip install builds it (setup.py); without it tokenizing is four times slower, and the
    # first call says so in a RuntimeWarning: an error here, in a fresh process.
    import subprocess
    import sys

    code = ("from analysis.text.segment import token_spans; "
            "print(token_spans(\"U.S. & China's win-win, 1.3\")[2])")
    done = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", code],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['U.S', '&', 'China', \"'s\", 'win-win', '1.3']\n"
    starts, ends, surfaces, terms_ = token_spans("U.S. & China's win-win, 1.3")
    assert terms_ == ["u.s", "&", "china", "'s", "win-win", "1.3"]
    assert (starts.dtype, ends.dtype) == (np.int64, np.int64)
    with pytest.raises(TypeError):
        token_spans(b"bytes are not text")


def test_compiled_scanner_gives_the_tokens_of_the_regex(seeds, plain_token_spans):
    import random

    # Random strings over the characters every rule looks at, plus letters and digits from
    # outside ASCII (a decimal Arabic-Indic digit, digits that are not decimal, a capital
    # whose lower case is two characters, a combining accent, a letter outside the BMP).
    alphabet = list("aAsSz09_.,-'& \n\"()éß½²٣İΣ\u0301\x00𝐀")
    rng = random.Random(6)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
             for _ in range(20_000)]
    texts += [TOKEN_PROBES, *seeds.texts.values()]
    for text in texts:
        fast, regex = token_spans(text), plain_token_spans(text)
        assert (fast[0].tolist(), fast[1].tolist(), fast[2], fast[3]) == (
            regex[0].tolist(), regex[1].tolist(), regex[2], regex[3]), repr(text)


def test_process_tokens_equal_nltk_regexp_tokenizer_on_the_seeds(seeds):
    for sentence in seeds.sentences.itertuples():
        mine = seeds.tokens.loc[(seeds.tokens["doc"] == sentence.doc)
                                & (seeds.tokens["sentence"] == sentence.sentence), "term"]
        assert mine.tolist() == tokenize(sentence.text)


def _segment_without_scanner(monkeypatch):
    """A fresh copy of analysis.text.segment imported where ``analysis._scan`` cannot be (as
    after an install without a C compiler)."""
    import importlib.util
    import sys

    import analysis
    from analysis.text import segment

    monkeypatch.setitem(sys.modules, "analysis._scan", None)  # import fails
    monkeypatch.delattr(analysis, "_scan", raising=False)
    spec = importlib.util.spec_from_file_location("segment_without_scan", segment.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def plain_token_spans(monkeypatch):
    """:func:`~analysis.text.segment.token_spans` without the compiled scanner (its one
    warning heard here: the pure-Python path is the one taken)."""
    import warnings

    plain = _segment_without_scanner(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plain.token_spans("a")
    assert ["token scanner" in str(w.message) for w in caught] == [True]
    return plain.token_spans


def test_without_the_compiled_scanner_the_same_tokens_and_one_warning(monkeypatch, seeds):
    import warnings

    from analysis.text.segment import token_spans

    plain = _segment_without_scanner(monkeypatch)
    texts = [TOKEN_PROBES, *seeds.texts.values()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text in texts:
            fast, slow = token_spans(text), plain.token_spans(text)
            assert (fast[0].tolist(), fast[1].tolist(), fast[2], fast[3]) == (
                slow[0].tolist(), slow[1].tolist(), slow[2], slow[3])
    said = [w for w in caught if "token scanner" in str(w.message)]
    assert len(said) == 1  # once per process, not once per text
    assert said[0].category is RuntimeWarning
    assert "pure Python" in str(said[0].message) and "same tokens" in str(said[0].message)


def test_the_compiled_scanner_says_nothing(recwarn):
    from analysis.text.segment import token_spans

    token_spans("U.S. & China's win-win")
    assert not [w for w in recwarn if "token scanner" in str(w.message)]


# ------------------------------------------------------------- graphemes stay whole

def test_the_mark_class_is_the_unicode_marks_of_this_python():
    from analysis.text.marks import MARKS, mark_ranges, mark_ranges_of

    assert mark_ranges_of(MARKS) == mark_ranges()


def test_combining_marks_viramas_and_diacritics_stay_inside_their_word():
    from analysis.text.segment import token_spans

    # पाकिस्तान: 9 code points, vowel signs and a virama among them; one token
    for text, tokens in (("पाकिस्तान और चीन", ["पाकिस्तान", "और", "चीन"]),
                         ("پاکِستان اور چین", ["پاکِستان", "اور", "چین"]),
                         ("مُحَمَّد", ["مُحَمَّد"]),
                         ("cafe\u0301 ok", ["cafe\u0301", "ok"]),
                         ("می\u200cخواهم", ["می\u200cخواهم"])):
        assert token_spans(text)[2] == tokens


def test_the_compiled_scanner_and_re_agree_on_every_mark_after_a_letter(plain_token_spans):
    from analysis.text.marks import mark_ranges

    marks = "".join(chr(c) for first, last in mark_ranges()
                    for c in range(first, min(last, first + 3) + 1))
    # each mark after a letter, after an initialism, after a hyphen, alone after a space
    text = " ".join(f"a{m}b H.E{m} x-{m}y {m}z" for m in marks)
    compiled, plain = token_spans(text), plain_token_spans(text)
    assert compiled[0].tolist() == plain[0].tolist()
    assert compiled[1].tolist() == plain[1].tolist()
    assert compiled[2] == plain[2]
