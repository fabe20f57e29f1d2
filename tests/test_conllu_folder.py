"""A folder of CoNLL-U files as one corpus (analysis/readers/conllu_folder.py)."""

from __future__ import annotations

import gzip
import os

import pytest

from analysis.corpus import CorpusError, load_corpus
from analysis.readers import reader_for
from analysis.readers.conllu import load_conllu
from analysis.readers.conllu_folder import conllu_files, load_conllu_folder


def words(*rows: tuple[str, str, str, str, str]) -> str:
    """A sentence's lines: ``(form, lemma, upos, head, misc)`` per word, ids from 1."""
    return "".join(f"{k}\t{form}\t{lemma}\t{upos}\t_\t_\t{head}\t"
                   f"{'root' if head == '0' else 'dep'}\t_\t{misc}\n"
                   for k, (form, lemma, upos, head, misc) in enumerate(rows, start=1)) + "\n"


# Two documents (# newdoc): "Roads ran." (2 words and a full stop) and "New ports opened."
# (3 words and a full stop).
DAWN = ("# newdoc id = d1\n# newpar\n"
        + words(("Roads", "road", "NOUN", "2", "_"), ("ran", "run", "VERB", "0", "SpaceAfter=No"),
                (".", ".", "PUNCT", "2", "_"))
        + "# newdoc id = d2\n"
        + words(("New", "new", "ADJ", "2", "_"), ("ports", "port", "NOUN", "3", "_"),
                ("opened", "open", "VERB", "0", "SpaceAfter=No"), (".", ".", "PUNCT", "3", "_")))
# No # newdoc: one document named after the file, "Trade grows fast." (3 words).
NATION = words(("Trade", "trade", "NOUN", "2", "_"), ("grows", "grow", "VERB", "0", "_"),
               ("fast", "fast", "ADV", "2", "SpaceAfter=No"), (".", ".", "PUNCT", "2", "_"))
# Chinese, no spaces: "我们修路。" (3 words and a full stop).
XINHUA = ("# newdoc id = xh-1\n"
          + words(("我们", "我们", "PRON", "2", "SpaceAfter=No"),
                  ("修", "修", "VERB", "0", "SpaceAfter=No"),
                  ("路", "路", "NOUN", "2", "SpaceAfter=No"), ("。", "。", "PUNCT", "2", "_")))
METADATA = ("file,outlet,lang\n"
            "dawn.conllu,Dawn,\n"
            "nation.conllu,The Nation,\n"
            "xinhua.conllu.gz,Xinhua,zh\n")


@pytest.fixture
def folder(tmp_path):
    """Three CoNLL-U files (one gzipped), four documents, and a metadata.csv."""
    path = tmp_path / "ud"
    path.mkdir()
    (path / "dawn.conllu").write_text(DAWN, encoding="utf-8")
    (path / "nation.conllu").write_text(NATION, encoding="utf-8")
    (path / "xinhua.conllu.gz").write_bytes(gzip.compress(XINHUA.encode("utf-8")))
    (path / "metadata.csv").write_text(METADATA, encoding="utf-8")
    return path


def test_a_folder_of_conllu_files_is_one_corpus(folder):
    corpus = load_corpus(folder)
    assert reader_for(folder).name == "folder"
    assert corpus.ids == ["d1", "d2", "nation", "xh-1"]  # files in name order
    assert [doc.file for doc in corpus] == ["dawn.conllu#d1", "dawn.conllu#d2",
                                            "nation.conllu#nation", "xinhua.conllu.gz#xh-1"]
    assert [doc.raw for doc in corpus] == ["Roads ran.", "New ports opened.",
                                           "Trade grows fast.", "我们修路。"]
    assert [dict(doc.metadata) for doc in corpus] == [
        {"outlet": "Dawn", "lang": "", "id": "d1"}, {"outlet": "Dawn", "lang": "", "id": "d2"},
        {"outlet": "The Nation", "lang": "", "id": "nation"},
        {"outlet": "Xinhua", "lang": "zh", "id": "xh-1"}]
    assert corpus.root == str(folder.resolve())
    # each document's tokens and layers are those of its file read alone
    alone = [doc for name in ("dawn.conllu", "nation.conllu", "xinhua.conllu.gz")
             for doc in load_conllu(folder / name)]
    assert [doc.tokens for doc in corpus] == [doc.tokens for doc in alone]
    assert corpus["xh-1"].tokens.layer("form") == ["我们", "修", "路", "。"]
    assert corpus["xh-1"].tokens.starts.tolist() == [0, 2, 3, 4]


def test_groups_of_the_metadata_counted_by_the_command_line(folder, cli):
    status, out, err = cli("corpus", "--corpus", str(folder), "--by", "outlet",
                           "--format", "csv")
    assert status == 0, err
    rows = [line.split(",") for line in out.strip().splitlines()]
    assert rows[0][:5] == ["outlet", "documents", "paragraphs", "sentences", "words"]
    # by hand: Dawn 2 + 3 words in two documents, The Nation 3, Xinhua 3 (full stops aside)
    assert {r[0]: (r[1], r[4]) for r in rows[1:]} == {
        "Dawn": ("2", "5"), "The Nation": ("1", "3"), "Xinhua": ("1", "3")}


def test_a_row_of_one_document_wins_over_its_file(folder):
    (folder / "metadata.csv").write_text(
        "file,id,outlet\ndawn.conllu,,Dawn\ndawn.conllu,d2,Dawn Weekend\n", encoding="utf-8")
    corpus = load_corpus(folder)
    assert [doc.metadata.get("outlet") for doc in corpus] == ["Dawn", "Dawn Weekend", None,
                                                              None]


def test_a_folder_with_texts_stays_a_folder_of_texts(folder):
    (folder / "note.txt").write_text("Roads.", encoding="utf-8")
    (folder / "metadata.csv").unlink()
    assert conllu_files(folder) == []
    assert load_corpus(folder).ids == ["note"]


def test_a_changed_file_is_read_again(folder):
    first = load_corpus(folder)
    assert load_corpus(folder) == first  # from the file records, unchanged
    path = folder / "nation.conllu"
    stat = path.stat()
    path.write_text(NATION.replace("Trade", "Trams"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same times, same size
    again = load_corpus(folder)
    assert again["nation"].raw == "Trams grows fast."
    assert again["nation"].tokens != first["nation"].tokens


@pytest.mark.parametrize(("files", "message"), [
    ({"b.conllu": "1\tRoads\troad\tNOUN\n\n"},
     r"ud/b\.conllu: line 1: 4 columns, not the 10 tab-separated columns of CoNLL-U$"),
    ({"b.conllu": "# text = x\n1\tA\ta\tX\t_\t_\t0\troot\t_\t_\n2\tB\tb\tX\t_\t_\t7\tdep\t_\t_\n"},
     r"ud/b\.conllu: line 3: head 7 points outside its sentence of 2 words$"),
    ({"z.conllu": "# newdoc id = d1\n1\tA\ta\tX\t_\t_\t0\troot\t_\t_\n"},
     r"ud/z\.conllu: document id 'd1' given twice \(also in dawn\.conllu\)$"),
    ({"metadata.csv": "file,outlet\nnone.conllu,Dawn\n"},
     r"ud/metadata\.csv: line 2: file 'none\.conllu' is not a CoNLL-U file of .*ud"),
    ({"metadata.csv": "file,id,outlet\ndawn.conllu,d9,Dawn\n"},
     r"ud/metadata\.csv: line 2: no document 'd9' in dawn\.conllu$"),
    ({"metadata.csv": "file,outlet\ndawn.conllu,Dawn\ndawn.conllu,Dawn\n"},
     r"ud/metadata\.csv: line 3: file 'dawn\.conllu' is listed twice$"),
    ({"metadata.csv": "file,date\ndawn.conllu,2020-13\n"}, r"ud/metadata\.csv: line 2: .*date"),
    ({"sections.csv": "file,section,first\n"}, r"ud/sections\.csv: sections are not read"),
])
def test_bad_input_is_one_line_and_exit_2(folder, cli, files, message):
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as caught:
        load_conllu_folder(folder)
    assert "\n" not in str(caught.value)
    status, out, err = cli("corpus", "--corpus", str(folder))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert str(caught.value) in err


def test_a_link_is_refused_unless_followed_inside(folder):
    os.symlink(folder / "nation.conllu", folder / "link.conllu")
    with pytest.raises(CorpusError, match=r"link\.conllu: a symbolic link"):
        load_corpus(folder)
    (folder / "metadata.csv").unlink()
    corpus = load_corpus(folder, follow_symlinks=True)  # followed: read under its own name
    assert corpus.ids == ["d1", "d2", "link", "nation", "xh-1"]
    assert corpus["link"].raw == corpus["nation"].raw == "Trade grows fast."
    outside = folder.parent / "outside.conllu"
    outside.write_text(NATION, encoding="utf-8")
    (folder / "link.conllu").unlink()
    os.symlink(outside, folder / "link.conllu")
    with pytest.raises(CorpusError, match=r"link\.conllu: a symbolic link to .*outside"):
        load_corpus(folder, follow_symlinks=True)


def test_a_folder_of_more_files_than_folders_kept_stays_warm(folder, monkeypatch):
    import time

    from analysis import fileindex
    from analysis.readers import conllu

    monkeypatch.setattr(fileindex, "KEEP", 2)  # fewer than the folder's three files
    monkeypatch.setattr(fileindex, "_now_ns", lambda: time.time_ns() + 10 * 10**9)  # none racy
    real, parsed = conllu.load_conllu, []
    monkeypatch.setattr(conllu, "load_conllu",
                        lambda path: parsed.append(os.path.basename(path)) or real(path))
    first = load_corpus(folder)
    assert sorted(parsed) == ["dawn.conllu", "nation.conllu", "xinhua.conllu.gz"]
    parsed.clear()
    assert load_corpus(folder) == first
    assert parsed == []  # each file from its record: none parsed again
