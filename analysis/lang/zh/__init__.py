"""Chinese: words segmented by jieba, sentences ended by 。！？ without a space after them.

jieba's dictionary and algorithm (Sun Junyi, MIT), run by jieba-rs (Rust, package
``rjieba``, MIT; the dictionary built in, nothing is downloaded), segment each run of Han
characters that the token scanner finds (``2020年`` -> ``2020`` + ``年``). Stop words:
stopwords-iso's ``zh``; general frequencies: wordfreq's ``zh`` (segmented with jieba as
well). No readability formula, sentiment lexicon or dictionary of the workbench is defined
for Chinese.
"""

from analysis.lang.base import Language

LANGUAGE = Language(code="zh", name="Chinese", tokenizer="jieba",
                    sentence_ends="\u3002\uff01\uff1f!?\u2026", space_after_end=False)
