"""The README's Python example runs as written, so the documented API cannot drift from the code."""

from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_python_section_runs():
    section = README.read_text(encoding="utf-8").split("### Python", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README.md (Python)", "exec"), namespace)
    assert namespace["params"].channels == 64, f"BAM channels {namespace['params'].channels}, expected 64"
    output = namespace["module"](**namespace["inputs"])
    assert tuple(output.shape) == (4, 64, 56, 56), f"BAM output shape {tuple(output.shape)}"
