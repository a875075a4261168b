#!/usr/bin/env python3
"""Writes data/lexicon/wordnet-lexicon.txt from a WordNet 3.0 database (Debian: wordnet-base).

usage: scripts/make_lexicon.py [--wordnet DIR] [--output FILE | --check FILE]

The output is deterministic (every section sorted by byte value), so regenerating from the same
WordNet gives the same bytes; --check FILE exits 1 if FILE differs from what would be written (77 if there is no WordNet).
Its format is described in the comment lines this script writes at the top of the file.
"""
import argparse
import os
import re
import sys
from collections import defaultdict

FORMAT_COMMENT = [
    "# signalmon wordnet-lexicon 3: single-word lemmas, irregular forms and word links derived from",
    "# WordNet 3.0 (Princeton University; licence in LICENSE) by scripts/make_lexicon.py. Lines after",
    "# a [section] header are sorted by byte value and hold space-separated ASCII fields.",
    "# [lemmas] LEMMA POS [~VARIANT]... [+NOMINALIZATION]...  POS: letters of n (noun), v (verb),",
    "#   a (adjective), r (adverb), then c when the noun's commonest sense names a thing, place, group,",
    "#   person or possession rather than an act, event, state or idea; ~ = British/American spelling",
    "#   in a shared synset of the same POS;",
    "#   + = verb's nominalization (a WordNet derivational pointer to a noun sharing the verb's stem);",
    "#   = = a place's adjective (a pertainym sharing its stem: china =chinese) or its national capital",
    "#   (china =beijing): how reporters name a country.",
    "# [noun.exc] / [verb.exc] FORM LEMMA...  WordNet's irregular inflections (form -> lemmas).",
    "# [function] WORD  function words: they match only themselves.",
]

# Function words: a rule phrase's "of" or "is" stays literal, never inflected or looked up.
FUNCTION_WORDS = """
a an the this that these those some any each every no not
of for to in on at by with from as into onto upon over under about above below after before
between through during without within against among across along around behind beyond via per
than off out up down
and or nor but if so yet because while although though whether
is are was were be been being am do does did done has have had having
will would shall should can could may might must
it its it's i me my mine we us our ours you your yours he him his she her hers they them their
theirs who whom whose which what there here then also
""".split()

WORD = re.compile(r"^[a-z0-9][a-z0-9'.-]*$")
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
# Lexicographer files whose nouns are not nominalizations of a verb's action or result:
# people (agent nouns), artifacts (instruments), animals, foods, plants, bodies, substances.
NOT_NOMINAL_LEXFILES = {5, 6, 8, 13, 18, 20, 27}
AGENT_ENDINGS = ("er", "or", "ee", "ist")  # twister, director, employee, nationalist
# Lexicographer files of nouns that name something one can point at: animals, artifacts, bodies,
# foods, groups, locations, natural objects, people, plants, possessions, substances. A noun whose
# commonest sense is elsewhere (acts, events, states, attributes, ideas) says little on its own.
CONCRETE_LEXFILES = {5, 6, 8, 13, 14, 15, 17, 18, 20, 21, 27}
LOCATION_LEXFILE = 15


def usable(word):
    return bool(WORD.match(word)) and not word.isdigit() and any(c.isalpha() for c in word)


def one_inner_edit(a, b):
    """True if one edit inside the word (not its first 3 or last letter) turns a into b: a letter
    replaced, inserted or dropped, or two neighbours swapped (also at the end) (nationalize/nationalise, labor/labour,
    center/centre). An edit distance of 2 admits too many different words (contract/constrict)."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    middle_a, middle_b = a[start:end_a], b[start:end_b]
    if start < 3:
        return False
    if len(middle_a) == len(middle_b) == 2 and middle_a == middle_b[::-1]:  # a swap, even at the end
        return True
    if max(end_a, end_b) >= max(len(a), len(b)):  # an ending changed: plane/planer, bronze/bronzy
        return False
    if len(middle_a) + len(middle_b) == 1:  # one letter inserted or dropped
        return True
    if len(middle_a) == len(middle_b) == 1:  # one letter replaced
        return True
    return False


def spelling_variants(a, b):
    """British/American spellings of one word: the same first 3 letters and one small inner edit."""
    return a != b and min(len(a), len(b)) >= 5 and one_inner_edit(a, b)


def nominalization(verb, noun):
    """A noun made from the verb's stem: longer, starting with the verb minus at most its last 3
    letters (and at least 5 letters of it: require/requisition are different words)."""
    stem = max(len(verb) - 3, 5)
    if len(noun) <= len(verb) or len(verb) < 5 or noun[:stem] != verb[:stem]:
        return False
    # A gerund (stocking) is already the verb's -ing form; as a noun its plural is often another
    # word (stockings).
    return not noun.endswith(AGENT_ENDINGS) and not noun.endswith("ing")


def shared_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def read_index(wordnet, pos):
    lemmas = set()
    with open(os.path.join(wordnet, "index." + POS_FILES[pos]), encoding="latin-1") as index:
        for line in index:
            if line.startswith(" "):
                continue
            lemma = line.split(" ", 1)[0]
            if "_" not in lemma and usable(lemma):
                lemmas.add(lemma)
    return lemmas


def read_senses(wordnet, pos):
    """lemma -> synset offsets, commonest sense first (WordNet's index order; single-word lemmas)"""
    senses = {}
    with open(os.path.join(wordnet, "index." + POS_FILES[pos]), encoding="latin-1") as index:
        for line in index:
            if line.startswith(" "):
                continue
            fields = line.split()
            if "_" in fields[0] or not usable(fields[0]):
                continue
            synset_count = int(fields[2])
            senses[fields[0]] = fields[len(fields) - synset_count :]
    return senses


def read_data(wordnet, pos):
    """offset -> (lex_filenum, [words], [(symbol, target_offset, target_pos, source_word, target_word)])"""
    synsets = {}
    with open(os.path.join(wordnet, "data." + POS_FILES[pos]), encoding="latin-1") as data:
        for line in data:
            if line.startswith(" "):
                continue
            fields = line.split(" | ", 1)[0].split()
            offset, lexfile, word_count = fields[0], int(fields[1]), int(fields[3], 16)
            words = [re.sub(r"\(.*\)$", "", w).lower() for w in fields[4 : 4 + 2 * word_count : 2]]
            at = 4 + 2 * word_count
            pointer_count = int(fields[at])
            pointers = []
            for p in range(pointer_count):
                symbol, target, target_pos, numbers = fields[at + 1 + 4 * p : at + 5 + 4 * p]
                pointers.append((symbol, target, target_pos, int(numbers[:2], 16), int(numbers[2:], 16)))
            synsets[offset] = (lexfile, words, pointers)
    return synsets


def read_exceptions(wordnet, pos, lemmas):
    exceptions = defaultdict(set)
    with open(os.path.join(wordnet, POS_FILES[pos] + ".exc"), encoding="latin-1") as exc:
        for line in exc:
            form, *bases = line.split()
            if not usable(form):
                continue
            for base in bases:
                if usable(base) and base in lemmas and base != form:
                    exceptions[form].add(base)
    return exceptions


def place_names(data, lemmas, noun_senses):
    """place -> the other words reporters name it by: its adjective (a WordNet pertainym that shares
    the place's first three letters: chinese, european; not urban for city) and, for a country, its
    national capital (a capital instance whose part holonym is the country; of a name with several
    such senses, the commonest: beijing for china, not taipei)."""
    places = defaultdict(set)
    for _, adjectives, pointers in data["a"].values():
        for symbol, target, target_pos, source_word, target_word in pointers:
            if symbol != "\\" or target_pos != "n" or not source_word or not target_word:
                continue
            lexfile, nouns, _ = data["n"][target]
            adjective, noun = adjectives[source_word - 1], nouns[target_word - 1]
            if (lexfile == LOCATION_LEXFILE and adjective in lemmas["a"] and noun in lemmas["n"]
                    and shared_prefix(adjective, noun) >= 3 and adjective != noun):
                places[noun].add(adjective)
    capital_offsets = {offset for offset, (_, words, _) in data["n"].items() if "national_capital" in words}
    capitals_of = defaultdict(set)  # country synset -> its capitals' words
    for _, capitals, pointers in data["n"].values():
        if not any(symbol == "@i" and target in capital_offsets for symbol, target, _, _, _ in pointers):
            continue
        for symbol, target, target_pos, _, _ in pointers:
            if symbol == "#p" and target_pos == "n":
                capitals_of[target].update(c for c in capitals if c in lemmas["n"])
    for country, senses in noun_senses.items():
        with_capital = [offset for offset in senses if capitals_of.get(offset)]
        if with_capital:
            places[country].update(c for c in capitals_of[with_capital[0]] if c != country)
    return places


def build(wordnet):
    lemmas = {pos: read_index(wordnet, pos) for pos in POS_FILES}
    data = {pos: read_data(wordnet, pos) for pos in ("n", "v", "a")}
    variants = defaultdict(set)
    for pos in ("n", "v", "a"):
        for _, words, _ in data[pos].values():
            single = sorted({w for w in words if w in lemmas[pos]})
            for i, a in enumerate(single):
                for b in single[i + 1 :]:
                    if spelling_variants(a, b):
                        variants[a].add(b)
                        variants[b].add(a)
    nominalizations = defaultdict(set)
    for _, words, pointers in data["v"].values():
        for symbol, target, target_pos, source_word, target_word in pointers:
            if symbol != "+" or target_pos != "n" or not source_word or not target_word:
                continue
            verb = words[source_word - 1]
            lexfile, nouns, _ = data["n"][target]
            noun = nouns[target_word - 1]
            if (verb in lemmas["v"] and noun in lemmas["n"] and lexfile not in NOT_NOMINAL_LEXFILES
                    and nominalization(verb, noun)):
                nominalizations[verb].add(noun)
    # Of a verb's nominalizations keep those closest to it: requirement, not requisition, for require.
    for verb, nouns in nominalizations.items():
        closest = max(shared_prefix(verb, noun) for noun in nouns)
        nominalizations[verb] = {noun for noun in nouns if shared_prefix(verb, noun) == closest}
    exceptions = {pos: read_exceptions(wordnet, pos, lemmas[pos]) for pos in ("n", "v")}
    noun_senses = read_senses(wordnet, "n")
    places = place_names(data, lemmas, noun_senses)
    concrete = {lemma for lemma, offsets in noun_senses.items() if data["n"][offsets[0]][0] in CONCRETE_LEXFILES}

    lines = list(FORMAT_COMMENT)
    lines.append("[lemmas]")
    for lemma in sorted(set().union(*lemmas.values())):
        fields = [lemma, "".join(pos for pos in "nvar" if lemma in lemmas[pos]) + ("c" if lemma in concrete else "")]
        fields += ["~" + v for v in sorted(variants.get(lemma, ()))]
        fields += ["+" + n for n in sorted(nominalizations.get(lemma, ()))]
        fields += ["=" + p for p in sorted(places.get(lemma, ()))]
        lines.append(" ".join(fields))
    for pos in ("n", "v"):
        lines.append("[%s.exc]" % POS_FILES[pos])
        for form in sorted(exceptions[pos]):
            lines.append(" ".join([form] + sorted(exceptions[pos][form])))
    lines.append("[function]")
    lines += sorted(set(FUNCTION_WORDS))
    return "\n".join(lines) + "\n"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--output", default=os.path.join(root, "data", "lexicon", "wordnet-lexicon.txt"))
    parser.add_argument("--check", metavar="FILE", help="compare FILE with the generated text instead of writing")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.wordnet, "index.noun")):
        print("no WordNet in %s (apt-get install wordnet-base)" % args.wordnet, file=sys.stderr)
        return 77 if args.check else 1  # 77: ctest's SKIP_RETURN_CODE for the --check test
    text = build(args.wordnet)
    if args.check:
        with open(args.check, encoding="ascii") as committed:
            if committed.read() != text:
                print("%s differs from what scripts/make_lexicon.py generates" % args.check, file=sys.stderr)
                return 1
        print("%s matches WordNet in %s" % (args.check, args.wordnet))
        return 0
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="ascii", newline="\n") as out:
        out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
