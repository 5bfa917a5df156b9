"""Hypothesis strategies for state machine definitions: valid ones (both query languages) and
mutations of them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _-é", min_size=1,
                max_size=12).filter(lambda s: s.strip() == s and s != "")
FIELDS = st.sampled_from(["a", "b", "order", "items", "id", "x_1"])


@st.composite
def jsonpath_state(draw: Any, following: str | None) -> dict[str, Any]:
    kind = draw(st.sampled_from(["Pass", "Wait", "PassParams", "Choice", "Fail"] if following else ["Pass", "Succeed", "Fail"]))
    field = draw(FIELDS)
    if kind == "Pass":
        state: dict[str, Any] = {"Type": "Pass"}
        if draw(st.booleans()):
            state["Result"] = draw(st.integers() | st.text(max_size=5))
            state["ResultPath"] = f"$.r_{field}"  # never a field the intrinsics below read
    elif kind == "PassParams":
        # ResultPath keeps the (unknown) execution input, so later states can still read its fields.
        state = {"Type": "Pass", "Parameters": {f"{field}.$": f"$.{field}", "n.$": "States.ArrayLength($.items)",
                                                "s.$": "States.Format('x{}', $.id)", "lit": draw(st.integers())},
                 "ResultPath": f"$.p_{field}"}
    elif kind == "Wait":
        state = {"Type": "Wait", "Seconds": draw(st.integers(min_value=0, max_value=1000))}
    elif kind == "Choice":
        return {"Type": "Choice", "Choices": [{"Variable": f"$.{field}", "IsPresent": True, "Next": following}],
                "Default": following}
    elif kind == "Succeed":
        return {"Type": "Succeed"}
    else:
        return {"Type": "Fail", "Error": "Custom.Error", "Cause": "because"}
    if following:
        state["Next"] = following
    else:
        state["End"] = True
    return state


@st.composite
def jsonata_state(draw: Any, following: str | None) -> dict[str, Any]:
    kind = draw(st.sampled_from(["Pass", "Wait", "Choice"] if following else ["Pass", "Succeed"]))
    if kind == "Pass":
        state: dict[str, Any] = {"Type": "Pass", "Output": "{% $merge([$states.input, {'n': 1}]) %}"}
    elif kind == "Wait":
        state = {"Type": "Wait", "Seconds": "{% 1 + 1 %}"}
    elif kind == "Choice":
        return {"Type": "Choice", "Choices": [{"Condition": "{% $exists($states.input.a) %}", "Next": following}],
                "Default": following}
    else:
        return {"Type": "Succeed"}
    if following:
        state["Next"] = following
    else:
        state["End"] = True
    return state


@st.composite
def definitions(draw: Any) -> dict[str, Any]:
    """A valid linear machine of 1-8 states, JSONPath or JSONata."""
    jsonata = draw(st.booleans())
    names = draw(st.lists(NAMES, min_size=1, max_size=8, unique=True))
    states: dict[str, Any] = {}
    for index, name in enumerate(names):
        following = names[index + 1] if index + 1 < len(names) else None
        states[name] = draw(jsonata_state(following) if jsonata else jsonpath_state(following))
        if states[name]["Type"] in ("Fail", "Succeed") and following:
            states[name] = {"Type": "Pass", "Next": following}
    definition: dict[str, Any] = {"StartAt": names[0], "States": states}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    if draw(st.booleans()):
        definition["Comment"] = draw(st.text(max_size=20))
    return definition


def to_yaml(definition: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)


@st.composite
def mutated_texts(draw: Any) -> tuple[str, str]:
    """(path, text): a valid definition serialised, then damaged at random."""
    definition = draw(definitions())
    as_yaml = draw(st.booleans())
    text = to_yaml(definition) if as_yaml else json.dumps(definition, indent=draw(st.sampled_from([None, 2])))
    operations = draw(st.lists(st.tuples(st.sampled_from(["delete", "insert", "replace", "truncate"]),
                                         st.integers(min_value=0, max_value=10_000),
                                         st.text(alphabet='{}[]:,"\'$.#&*!|>- \n\tNaé', max_size=3)),
                               min_size=1, max_size=4))
    for op, where, chunk in operations:
        where = where % (len(text) + 1)
        if op == "delete":
            text = text[:where] + text[where + 1 :]
        elif op == "insert":
            text = text[:where] + chunk + text[where:]
        elif op == "replace":
            text = text[:where] + chunk + text[where + len(chunk) :]
        else:
            text = text[:where]
    return ("fuzz.asl.yaml" if as_yaml else "fuzz.asl.json"), text
