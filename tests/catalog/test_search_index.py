"""The name analyzer keeps names whole, and searches stay correct while ingests commit."""

import threading

import pytest

from catalog.search._analysis import name_analyzer, text_analyzer


@pytest.mark.parametrize(
    "name, tokens",
    [
        ("R-CNN", {"r-cnn", "r", "cnn", "rcnn"}),
        ("GPT-3", {"gpt-3", "gpt", "3", "gpt3"}),
        ("MoCo v2", {"moco", "v2"}),
        ("V-trace", {"v-trace", "v", "trace", "vtrace"}),
        ("Reduction-A", {"reduction-a", "reduct", "a", "reductiona"}),
    ],
)
def test_name_analyzer_keeps_compounds_and_short_parts(name, tokens):
    got = {t.text for t in name_analyzer()(name)}
    assert tokens <= got, f"{name}: tokens {sorted(got)} lack {sorted(tokens - got)}"


def test_text_analyzer_stems_and_drops_stop_words():
    got = [t.text for t in text_analyzer()("The networks are convolutions")]
    assert got == ["network", "convolut"], f"tokens: {got}"


def test_searches_stay_correct_while_ingests_commit(seed_catalog, tmp_path):
    errors: list[BaseException] = []
    stop = threading.Event()

    def searching() -> None:
        try:
            while not stop.is_set():
                hits = seed_catalog.index.search("ghost module", limit=3).hits
                assert hits and hits[0]["slug"] == "ghost-module", hits
        except BaseException as error:  # reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=searching) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for round_ in range(4):
            document = tmp_path / "extra.txt"
            document.write_text(f"Extra\nRound Layer {round_} is a layer.\n", encoding="utf-8")
            seed_catalog.ingest([document])
        seed_catalog.rebuild_index()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, f"a search failed during ingest: {errors[0]!r}"
    assert seed_catalog.index.search("round layer 3").hits[0]["slug"] == "round-layer-3"
