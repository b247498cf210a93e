"""Names in descriptions become cross-links, without linking ordinary words."""

from catalog.mentions import MentionFinder

NAMES = [
    (1, "R-CNN"),
    (2, "Cascade R-CNN"),
    (3, "COLA"),
    (4, "STD"),
    (5, "Spatial-Channel Token Distillation"),
    (6, "Lion"),
    (7, "Pyramid Vision Transformer"),
    (8, "DCGAN"),
    (9, "TAM"),
    (10, "Capsule Network"),
    (11, "Capsule Network"),
]


def test_names_link_by_whole_words_longest_first():
    finder = MentionFinder(NAMES)
    text = "It is a multi-stage extension of the R-CNN, used in the pyramid vision transformers and based off DCGAN."
    assert finder.find(text) == {1: "R-CNN", 7: "pyramid vision transformers", 8: "DCGAN"}
    assert finder.find("Cascade R-CNN improves detection.") == {2: "Cascade R-CNN"}, "the longer name wins"


def test_short_and_common_names_match_only_as_written():
    finder = MentionFinder(NAMES)
    text = "We use the mean and standard deviation (std); a lion, a cola and a tam are not methods."
    assert finder.find(text) == {}, f"ordinary words linked: {finder.find(text)}"
    assert finder.find("Compared with STD, COLA and the Lion optimizer") == {4: "STD", 3: "COLA", 6: "Lion"}


def test_a_method_does_not_mention_itself_and_shared_names_link_nowhere():
    finder = MentionFinder(NAMES)
    assert finder.find("R-CNN is a detector.", exclude=1) == {}, "self-links are dropped"
    assert finder.find("A Capsule Network routes capsules.") == {}, "a name two methods share is ambiguous"
