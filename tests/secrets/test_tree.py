"""scan_tree(): whole documents, with paths, member names, Name/Value pairs and argument lists."""

from __future__ import annotations

from asl_lint.secrets import AllowList, TreeMatch, scan_tree
from tests.secrets.fakes import ALNUM, join, rand

STRIPE = join("sk", "_live_", rand(ALNUM, 24, 300))
DB_PASSWORD = "Rq7!" + rand(ALNUM, 8, 301)


def _summary(found: list[TreeMatch]) -> list[tuple[tuple[str | int, ...], bool, str]]:
    return [(f.path, f.in_key, f.match.rule) for f in found]


def test_paths_keys_and_values() -> None:
    definition = {
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"Headers": {"x-api-key": STRIPE}, "QueryParameters": {STRIPE: "1"}},
            }
        }
    }
    assert _summary(list(scan_tree(definition))) == [
        (("States", "Charge", "Parameters", "Headers", "x-api-key"), False, "stripe-secret-key"),
        (("States", "Charge", "Parameters", "QueryParameters", STRIPE), True, "stripe-secret-key"),
    ]


def test_name_value_pairs_use_the_name_as_key() -> None:
    overrides = {
        "Environment": [
            {"Name": "DB_PASSWORD", "Value": DB_PASSWORD},
            {"Name": "LOG_LEVEL", "Value": "debug-verbose-2"},
            {"Name": "API_TOKEN", "Type": "SECRETS_MANAGER", "Value": "prod/api:token"},
            {"Name": "SIGNING_SECRET", "Type": {"Ref": "VarType"}, "Value": "${SigningSecret}"},
        ]
    }
    found = list(scan_tree(overrides))
    assert _summary(found) == [(("Environment", 0, "Value"), False, "keyword-password")]
    assert (found[0].match.start, found[0].match.end) == (0, len(DB_PASSWORD))


def test_command_line_flag_names_the_next_argument() -> None:
    command = {"Command": ["python", "etl.py", "--db-password", DB_PASSWORD, "--table", "orders2024x"]}
    assert _summary(list(scan_tree(command))) == [(("Command", 3), False, "keyword-password")]


def test_allow_list_is_passed_down() -> None:
    assert list(scan_tree({"a": [{"b": STRIPE}]}, allow=AllowList.from_config([STRIPE], []))) == []


def test_a_member_name_the_allow_list_hid_is_still_found_without_it() -> None:
    # Names found clean are remembered (most recur in every definition); one the allow-list hid
    # is not clean: another allow-list, or none, still finds it.
    document = {"QueryParameters": {STRIPE: "1", "unrelated-name": "1"}}
    assert list(scan_tree(document, allow=AllowList.from_config([STRIPE], []))) == []
    found = [(("QueryParameters", STRIPE), True, "stripe-secret-key")]
    assert _summary(list(scan_tree({"QueryParameters": {STRIPE: "2", "unrelated-name": "2"}}))) == found
    assert _summary(list(scan_tree(document, allow=AllowList.from_config([], ["^x$"])))) == found
