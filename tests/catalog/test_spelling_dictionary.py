"""The symmetric-delete spelling dictionary: known words, nearest words, name prefixes."""

from catalog.search.spelling_dictionary import SpellingDictionary, deletes, distance

NAMES = [("retrace", 2), ("ghost", 1), ("module", 5), ("lipschitz", 1), ("detr", 3), ("resnet", 9)]
TEXT = [("kernel", 40), ("accelerated", 3), ("reset", 2), ("gradient", 30)]


def test_deletes_include_the_word_and_every_shorter_form():
    assert deletes("abc", 1) == {"abc", "bc", "ac", "ab"}, "one deletion of 'abc'"
    assert "a" in deletes("abc", 2) and len(deletes("abc", 2)) == 7, "two deletions of 'abc'"


def test_distance_counts_a_transposition_once():
    assert distance("ghsot", "ghost") == 1, "adjacent letters swapped"
    assert distance("retrase", "retrace") == 1, "one substitution"
    assert distance("kernal", "kernel") == 1, "one substitution"


def test_nearest_finds_one_and_two_edit_corrections():
    words = SpellingDictionary(NAMES, TEXT)
    cases = {
        "retrase": "retrace",
        "ghsot": "ghost",
        "lipshitz": "lipschitz",
        "kernal": "kernel",
        "acelerated": "accelerated",
        "dter": "detr",
    }
    got = {typo: words.nearest(typo, 2) for typo in cases}
    assert got == cases, f"corrections: {got}"


def test_the_more_frequent_word_wins_a_tie():
    words = SpellingDictionary(NAMES, TEXT)
    assert words.nearest("resett", 1) in {"resnet", "reset"}, "both are one edit away"
    assert words.nearest("resnett", 1) == "resnet", "one deletion from resnet"


def test_nothing_within_the_limit_is_none():
    words = SpellingDictionary(NAMES, TEXT)
    assert words.nearest("transformer", 2) is None, "no known word is near"
    assert "ghost" in words and "ghsot" not in words, "membership is exact"


def test_names_start_with_sees_only_name_words():
    words = SpellingDictionary(NAMES, TEXT)
    assert words.names_start_with("ghos"), "a name word starts with 'ghos'"
    assert not words.names_start_with("kern"), "'kernel' is a description word"
