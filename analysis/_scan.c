/*
 * The token scanner of analysis.text, compiled.
 *
 * It finds exactly the tokens that Python's re finds with analysis.text.segment.TOKEN_PATTERN (the
 * definition; tests/test_segment.py checks the two agree on the seeds, on a generated corpus and
 * on probes for every rule), in one pass over the text. Written by hand because re spends
 * about half a second per million words trying the pattern's alternatives at every character,
 * and no tokenizer library offers this pattern with character offsets: NLTK's
 * RegexpTokenizer runs re itself; spaCy, blingfire and Hugging Face's tokenizers cut tokens
 * by other rules.
 *
 * Character classes are those of re for str patterns: \w is a character for which
 * str.isalnum() is true, or '_'; \d is a decimal digit (str.isdecimal()).
 *
 * TOKEN_PATTERN, alternatives tried in this order at each position:
 *   1. \d+(?:[.,]\d+)+                         numbers: 1.3, 1,000
 *   2. (?:L\.)+L(?!A)                          initialisms: H.E, U.S (L = letter, A = alnum)
 *   3. A+(?:-A+)*(?:'(?![sS]\b)A+)*            words, hyphenated words, don't
 *      (A+ is a run of letters and digits with the combining marks inside it, M: a mark
 *      never parts from its letter; and 2. ends only where neither A nor M follows)
 *   4. '[sS]\b                                 possessive clitic
 *   5. &
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

/* The character at i, or 0 past the end: 0 is in none of the classes below and is neither
 * '.', ',', '-', '\'', 's' nor 'S', so it behaves as the end of the text does in every test. */
static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return i < t->n ? PyUnicode_READ(t->kind, t->data, i) : 0;
}

static inline int is_alnum(Py_UCS4 c) {
    if (c < 128) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    return Py_UNICODE_ISALNUM(c);
}

/* Combining marks (and the zero-width non-joiner and joiner): ranges set once by set_marks()
 * from analysis.text.marks.MARKS, sorted; a mark continues the word before it. */
static Py_UCS4 *mark_first = NULL, *mark_last = NULL;
static Py_ssize_t mark_count = 0;

static int is_mark(Py_UCS4 c) {
    if (c < 0x300 || mark_count == 0) {
        return 0;
    }
    Py_ssize_t lo = 0, hi = mark_count - 1;
    while (lo <= hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (c < mark_first[mid]) {
            hi = mid - 1;
        } else if (c > mark_last[mid]) {
            lo = mid + 1;
        } else {
            return 1;
        }
    }
    return 0;
}

static inline int is_decimal(Py_UCS4 c) {
    return c < 128 ? (c >= '0' && c <= '9') : Py_UNICODE_ISDECIMAL(c);
}

static inline int is_word(Py_UCS4 c) { return c == '_' || is_alnum(c); }

/* [^\W\d_]: alphanumeric but not a decimal digit. */
static inline int is_letter(Py_UCS4 c) { return is_alnum(c) && !is_decimal(c); }

static inline int is_s(Py_UCS4 c) { return c == 's' || c == 'S'; }

/* A run of letters, digits and the combining marks inside them (called at an alnum). */
static Py_ssize_t alnum_run(const Text *t, Py_ssize_t i) {
    while (i < t->n && (is_alnum(at(t, i)) || is_mark(at(t, i)))) {
        i++;
    }
    return i;
}

static Py_ssize_t decimal_run(const Text *t, Py_ssize_t i) {
    while (i < t->n && is_decimal(at(t, i))) {
        i++;
    }
    return i;
}

/* End of the token that starts at i, or -1 when no alternative matches there. */
static Py_ssize_t match_at(const Text *t, Py_ssize_t i) {
    Py_UCS4 c = at(t, i);
    if (is_decimal(c)) { /* 1. at least one [.,]\d+ group after the digits */
        Py_ssize_t k = decimal_run(t, i);
        int groups = 0;
        while ((at(t, k) == '.' || at(t, k) == ',') && is_decimal(at(t, k + 1))) {
            k = decimal_run(t, k + 1);
            groups++;
        }
        if (groups) {
            return k;
        }
    }
    if (is_letter(c) && at(t, i + 1) == '.') { /* 2. as many "L." pairs as there are, ... */
        Py_ssize_t p = i;
        int pairs = 0;
        while (is_letter(at(t, p)) && at(t, p + 1) == '.') {
            p += 2;
            pairs++;
        }
        if (is_letter(at(t, p)) && !is_alnum(at(t, p + 1)) && !is_mark(at(t, p + 1))) {
            return p + 1;
        }
        if (pairs >= 2) { /* ... else one pair fewer: its letter ends the match, '.' follows */
            return p - 1;
        }
    }
    if (is_alnum(c)) { /* 3. */
        Py_ssize_t j = alnum_run(t, i);
        while (at(t, j) == '-' && is_alnum(at(t, j + 1))) {
            j = alnum_run(t, j + 1);
        }
        while (at(t, j) == '\'' && is_alnum(at(t, j + 1))
               && !(is_s(at(t, j + 1)) && !is_word(at(t, j + 2)))) {
            j = alnum_run(t, j + 1);
        }
        return j;
    }
    if (c == '\'' && is_s(at(t, i + 1)) && !is_word(at(t, i + 2))) { /* 4. */
        return i + 2;
    }
    if (c == '&') { /* 5. */
        return i + 1;
    }
    return -1;
}

/* The lower-cased form of a token: the token itself when it has no capital, an ASCII copy
 * when it is ASCII, else str.lower(). */
static PyObject *lower(PyObject *surface, PyObject *lower_name) {
    if (!PyUnicode_IS_ASCII(surface)) {
        return PyObject_CallMethodNoArgs(surface, lower_name);
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(surface);
    const Py_UCS1 *src = PyUnicode_1BYTE_DATA(surface);
    Py_ssize_t k = 0;
    while (k < len && !(src[k] >= 'A' && src[k] <= 'Z')) {
        k++;
    }
    if (k == len) {
        Py_INCREF(surface);
        return surface;
    }
    PyObject *out = PyUnicode_New(len, 127);
    if (out == NULL) {
        return NULL;
    }
    Py_UCS1 *dst = PyUnicode_1BYTE_DATA(out);
    for (k = 0; k < len; k++) {
        dst[k] = (src[k] >= 'A' && src[k] <= 'Z') ? (Py_UCS1)(src[k] + 32) : src[k];
    }
    return out;
}

static int append(PyObject *list, PyObject *item) {
    if (item == NULL) {
        return -1;
    }
    int status = PyList_Append(list, item);
    Py_DECREF(item);
    return status;
}

PyDoc_STRVAR(token_spans_doc,
"token_spans(text) -> (starts, ends, surfaces, terms)\n\n"
"The tokens of text under analysis.text.segment.TOKEN_PATTERN: their start and end offsets as\n"
"bytearrays of native int64, their surfaces and their lower-cased terms as lists of str.");

static PyObject *token_spans(PyObject *self, PyObject *arg) {
    (void)self;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "token_spans() expects a str");
        return NULL;
    }
    if (PyUnicode_READY(arg) < 0) { /* a no-op for every str made since Python 3.3 */
        return NULL;
    }
    Text t = {PyUnicode_KIND(arg), PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg)};
    PyObject *lower_name = NULL, *surfaces = NULL, *terms = NULL, *result = NULL;
    int64_t *starts = NULL, *ends = NULL;
    Py_ssize_t count = 0, capacity = 1024;
    starts = PyMem_Malloc(capacity * sizeof(int64_t));
    ends = PyMem_Malloc(capacity * sizeof(int64_t));
    lower_name = PyUnicode_InternFromString("lower");
    surfaces = PyList_New(0);
    terms = PyList_New(0);
    if (!starts || !ends || !lower_name || !surfaces || !terms) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t i = 0;
    while (i < t.n) {
        Py_ssize_t end = match_at(&t, i);
        if (end < 0) {
            i++;
            continue;
        }
        if (count == capacity) {
            capacity *= 2;
            int64_t *s = PyMem_Realloc(starts, capacity * sizeof(int64_t));
            if (s == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            starts = s;
            int64_t *e = PyMem_Realloc(ends, capacity * sizeof(int64_t));
            if (e == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            ends = e;
        }
        starts[count] = i;
        ends[count] = end;
        count++;
        PyObject *surface = PyUnicode_Substring(arg, i, end);
        if (surface == NULL || PyList_Append(surfaces, surface) < 0
            || append(terms, lower(surface, lower_name)) < 0) {
            Py_XDECREF(surface);
            goto done;
        }
        Py_DECREF(surface);
        i = end;
    }
    /* bytearrays, so that numpy can wrap them writable without another copy */
    Py_ssize_t size = count * (Py_ssize_t)sizeof(int64_t);
    PyObject *start_bytes = PyByteArray_FromStringAndSize((const char *)starts, size);
    PyObject *end_bytes = PyByteArray_FromStringAndSize((const char *)ends, size);
    if (start_bytes && end_bytes) {
        result = PyTuple_Pack(4, start_bytes, end_bytes, surfaces, terms);
    }
    Py_XDECREF(start_bytes);
    Py_XDECREF(end_bytes);
done:
    PyMem_Free(starts);
    PyMem_Free(ends);
    Py_XDECREF(lower_name);
    Py_XDECREF(surfaces);
    Py_XDECREF(terms);
    return result;
}

PyDoc_STRVAR(set_marks_doc,
"set_marks(ranges) -> None\n\n"
"The combining marks, as a sorted list of (first, last) code points.");

static PyObject *set_marks(PyObject *self, PyObject *arg) {
    (void)self;
    PyObject *seq = PySequence_Fast(arg, "set_marks() expects a list of (first, last)");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_UCS4 *first = PyMem_Malloc((n + 1) * sizeof(Py_UCS4));
    Py_UCS4 *last = PyMem_Malloc((n + 1) * sizeof(Py_UCS4));
    if (!first || !last) {
        PyMem_Free(first);
        PyMem_Free(last);
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        unsigned long a, b;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, k), "kk", &a, &b)) {
            PyMem_Free(first);
            PyMem_Free(last);
            Py_DECREF(seq);
            return NULL;
        }
        first[k] = (Py_UCS4)a;
        last[k] = (Py_UCS4)b;
    }
    Py_DECREF(seq);
    PyMem_Free(mark_first);
    PyMem_Free(mark_last);
    mark_first = first;
    mark_last = last;
    mark_count = n;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"token_spans", token_spans, METH_O, token_spans_doc},
    {"set_marks", set_marks, METH_O, set_marks_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan",
    "The token scanner of analysis.text, compiled (see _scan.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&module); }
