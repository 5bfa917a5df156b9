"""The typed state machine every check shares."""

from asl_lint.model.machine import Scope, State, StateMachine, build_model

__all__ = ["Scope", "State", "StateMachine", "build_model"]
