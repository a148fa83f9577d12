"""The Python example of the root README.md runs as written (extracted and executed)."""

import pathlib
import re


def test_readme_python_example_runs():
    readme = pathlib.Path(__file__).resolve().parents[3] / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = text.split("## From Kotlin, Swift and Python", 1)
    assert len(section) == 2, "README.md lacks the bindings section"
    blocks = re.findall(r"```python\n(.*?)```", section[1], flags=re.S)
    assert blocks, "no ```python block in the bindings section of README.md"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
