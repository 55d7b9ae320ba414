"""Real-terminal sessions (pexpect): the questionnaire as a person meets it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

pytestmark = pytest.mark.slow  # real terminals: `pytest -m slow` (and .ci/run) runs them

MITRA = str(Path(sys.executable).with_name("mitra"))


def spawn(*args: str, lang: str = "en", term: str = "xterm-256color") -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "MITRA_LANG")}
    env.update({"MITRA_LANG": lang, "TERM": term, "COLUMNS": "100"})
    child = pexpect.spawn(MITRA, list(args), env=env, encoding="utf-8", timeout=20, dimensions=(40, 100))
    return child


def answer(child: pexpect.spawn, progress: str, typed: str) -> None:
    child.expect_exact(progress)
    child.expect_exact("> ")
    child.sendline(typed)


def test_full_session_with_help_back_and_an_invalid_answer() -> None:
    child = spawn("recommend")
    answer(child, "1/13", "1")
    answer(child, "2/13", "4")
    child.expect_exact("3/13")
    child.expect_exact("> ")
    child.sendline("?")
    child.expect_exact("Use the same classes")
    child.sendline("micro")
    answer(child, "4/13", "")  # the partners' kind is optional: Enter leaves it unstated
    answer(child, "5/13", "loads")
    child.expect_exact("'loads' is not a choice")
    child.sendline("3")
    answer(child, "6/13", "<")  # from the structure question back to the number of partners
    answer(child, "5/13", "many")
    for progress, typed in [
        ("6/13", "hub"),
        ("7/13", "1,2,4"),
        ("8/13", "raw-materials"),
        ("9/13", "commodity"),
        ("10/13", "2"),
        ("11/13", "1"),
        ("12/13", "3"),
        ("13/13", "1"),
    ]:
        answer(child, progress, typed)
    child.expect_exact("Your answers")
    child.expect_exact("Recommended pattern: Nucleus")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_question_that_cannot_matter_is_not_asked() -> None:
    """A large firm with one partner is not asked how the partnership is arranged (structure's `when`)."""
    child = spawn("recommend", "--set", "org_type=business", "--set", "size=large", "--set", "partner_type=cooperative")
    answer(child, "1/10", "micro")  # partner_size
    answer(child, "2/10", "one")  # partner_count: structure no longer applies, so 9 in all
    child.expect_exact("3/9")
    child.expect_exact("What do you bring")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_ctrl_c_at_a_prompt_exits_130_with_one_line() -> None:
    child = spawn("recommend")
    answer(child, "1/13", "1")
    child.expect_exact("2/13")
    child.expect_exact("> ")
    child.sendintr()
    child.expect_exact("Cancelled.")
    rest = child.read() if child.isalive() else ""
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "") + rest


def test_end_of_input_exits_1_and_says_how_to_answer() -> None:
    child = spawn("recommend", lang="id")
    child.expect_exact("1/13")
    child.expect_exact("> ")
    child.sendeof()
    child.expect_exact("--answers BERKAS")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Traceback" not in (child.before or "")


@pytest.mark.parametrize("lang, heading", [("id", "Pola yang disarankan"), ("en", "Recommended pattern")])
def test_terminal_output_is_coloured_unless_no_color(lang: str, heading: str, tmp_path: Path) -> None:
    answers = Path(__file__).resolve().parent.parent / "examples" / "sugar-mill.yaml"
    child = spawn("recommend", "--answers", str(answers), "--no-input", lang=lang)
    child.expect_exact(heading)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before or ""
    assert "\x1b[" in output
    assert child.exitstatus == 0


def test_a_dumb_terminal_gets_no_control_codes() -> None:
    answers = Path(__file__).resolve().parent.parent / "examples" / "sugar-mill.yaml"
    dumb = spawn("recommend", "--answers", str(answers), "--no-input", term="dumb")
    dumb.expect(pexpect.EOF)
    dumb.close()
    assert "Recommended pattern" in (dumb.before or "")
    assert "\x1b[" not in (dumb.before or "")
    assert dumb.exitstatus == 0


def test_ctrl_c_during_going_back_and_help_still_exits_130() -> None:
    child = spawn("recommend", lang="id")
    answer(child, "1/13", "1")
    answer(child, "2/13", "<")
    child.expect_exact("1/13")
    child.expect_exact("> ")
    child.sendline("?")
    child.expect_exact("BUMN")
    child.sendintr()
    child.expect_exact("Dibatalkan.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
