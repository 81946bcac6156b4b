"""Policy files: located errors (file:line:col pointing into the formula), did-you-mean,
attack payloads rejected at load with exit 2. Expected positions are counted by hand from
the YAML text in each test."""

from __future__ import annotations

import os
import textwrap

import pytest
from click.testing import CliRunner

import cli
from rules.schema import Policy
from scenarios.reading.errors import InputError
from scenarios.reading.files import json_schema, load_any
from scenarios.reading.policy_file import load_policy

GOOD = """\
policy: forced-ranking-phase-1
period: month
applies_to: [in_house]
base_pay: 3000
metrics:
  service_volume: "answered + outbound_calls"
scorecard:
  pay_base: 1000
  floor: 0.5
  cap: 1.5
  items:
    - {metric: answer_rate, weight: 0.30, target: 0.95, direction: higher}
    - {metric: aht_s,       weight: 0.30, target: 300,  direction: lower}
    - {metric: service_volume, weight: 0.40, target: 900, direction: higher}
ranking:
  by: score
  bands:
    - {top: 0.20, pay: 800}
    - {bottom: 0.10, pay: -500}
commission:
  - per: answered
    mode: marginal
    tiers: [{from: 0, rate: 1.0}, {from: 800, rate: 1.5}]
events:
  - {per: named_good_reviews, pay: 5}
  - {per: bad_reviews, pay: -50, offset: {by: named_good_reviews, ratio: 25}}
cap_total: 12000
"""


def write(tmp_path, text, name="p.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(p)


def problems(path, columns=()):
    with pytest.raises(InputError) as exc:
        load_policy(path, columns)
    return exc.value.problems


def test_formats_example_loads(tmp_path):
    p = load_policy(write(tmp_path, GOOD))
    assert isinstance(p, Policy)
    assert p.commission[0].table == [(0.0, 1.0), (800.0, 1.5)]
    assert p.events[1].offset.ratio == 25
    assert load_any(write(tmp_path, GOOD))[0] == "policy"


def test_unknown_metric_located_inside_formula(tmp_path):
    path = write(tmp_path, """\
        policy: x
        metrics:
          conv: "paid_uv / recieved_uv"
        events:
          - per: named_good_reviews
            pay: 5
            when: named_good_review_rte > 0.06
        """)
    probs = problems(path)
    # line 3: `  conv: "paid_uv / recieved_uv"` -> the quote is col 9, the name starts col 20
    assert (probs[0].line, probs[0].col, probs[0].field) == (3, 20, "metrics.conv")
    assert "did you mean 'received_uv'" in probs[0].message
    # line 7: `    when: named_good_review_rte` -> unquoted value at col 11
    assert (probs[1].line, probs[1].col) == (7, 11)
    assert "did you mean 'named_good_review_rate'" in probs[1].message
    assert str(probs[0]).startswith(f"{path}:3:20: metrics.conv: unknown metric")


def test_error_located_in_folded_block_formula(tmp_path):
    path = write(tmp_path, """\
        policy: x
        metrics:
          handling: >-
            (clip(300 / aht_s, 0, 1.5) + clip(40 / acw_s, 0, 1.5)
            + clip(fcr / 0.85, 0, 1.5) + ansered)
        events:
          - {per: handling, pay: 1}
        """)
    p = problems(path)[0]
    # line 5 is `    + clip(fcr / 0.85, 0, 1.5) + ansered)`: 'ansered' starts at column 34
    assert (p.line, p.col) == (5, 34) and "did you mean 'answered'" in p.message


def test_schema_errors_located(tmp_path):
    path = write(tmp_path, """\
        policy: x
        scorecard:
          pay_base: 1000
          items:
            - {metric: aht_s, wieght: 0.3, target: 300}
        commission:
          - per: answered
            tiers: [{from: 800, rate: 1.0}, {from: 0, rate: 1.5}]
        """)
    msgs = {(p.line, p.field): p.message for p in problems(path)}
    assert "did you mean 'weight'" in msgs[(5, "scorecard.items.0.wieght")]
    assert "tiers out of order" in msgs[(7, "commission.0")]


def test_schema_and_formula_problems_reported_together(tmp_path):
    path = write(tmp_path, """\
        policy: x
        scorecard:
          pay_base: 1000
          items:
            - {metric: answer_rat, wieght: 0.3, target: 0.95}
        """)
    fields = {p.field for p in problems(path)}
    assert {"scorecard.items.0.metric", "scorecard.items.0.wieght"} <= fields


def test_columns_of_the_table_are_known_when_given(tmp_path):
    path = write(tmp_path, "policy: x\ncommission: {per: tickets_closed, rate: 2}\n")
    assert "unknown metric 'tickets_closed'" in problems(path)[0].message
    assert load_policy(path, ["agent_id", "pool", "tickets_closed"]).commission[0].rate == 2


def test_not_a_policy(tmp_path):
    path = write(tmp_path, "name: x\n")
    with pytest.raises(InputError):
        load_policy(path)


def test_percent_shorthand(tmp_path):
    path = write(tmp_path, """\
        policy: x
        scorecard:
          pay_base: 1
          floor: 50%
          items: [{metric: fcr, weight: "40%", target: 0.8}]
        """)
    p = load_policy(path)
    assert p.scorecard.floor == 0.5 and p.scorecard.items[0].weight == pytest.approx(0.4)


PAYLOADS = [
    "__import__('os').system('touch /tmp/peakdesk_pwned_cli')",
    "answered.__class__.__bases__",
    "(lambda: 1)()",
    "[x for x in range(10**8)]",
    "open('/etc/passwd')",
    "9**9**9",
    "answered * 10**100",
    "9**4000000 * 9**4000000 > 1",
    "max(range(10**10))",
    "'a' * 10**10",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_attempts_exit_2_and_run_nothing(tmp_path, payload):
    quoted = payload.replace('"', '\\"')
    path = write(tmp_path, f'policy: x\nevents:\n  - per: answered\n    pay: 1\n    when: "{quoted}"\n')
    result = CliRunner().invoke(cli.main, ["validate", path])
    assert result.exit_code == 2, result.output
    assert f"{path}:5:" in result.output and "events.0.when" in result.output
    assert "Traceback" not in result.output
    assert not os.path.exists("/tmp/peakdesk_pwned_cli")


def test_policy_json_schema():
    schema = json_schema("policy")
    assert "scorecard" in schema["properties"] and schema["$schema"].endswith("draft-07/schema#")


# hypothesis: whatever text a formula holds, loading gives a policy or located problems
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FORMULA_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["answered", "fcr", "+", "*", "/", "**", "(", ")", "1", "0", "9",
                              "min(", ",", "if", "else", "and", "not", "<", ".__class__", "[0]",
                              "lambda", "'s'", "__import__", "9**9**9"]),
             max_size=12).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(FORMULA_TEXT)
def test_generated_formulas_load_or_give_located_errors(tmp_path_factory, text):
    import json

    path = tmp_path_factory.mktemp("h") / "p.yaml"
    path.write_text("policy: x\nevents:\n  - per: answered\n    pay: 1\n"
                    f"    when: {json.dumps(text)}\n", encoding="utf-8")
    try:
        load_policy(str(path))
    except InputError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        assert all(p.line is not None for p in exc.problems)
