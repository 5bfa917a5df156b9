"""Fake secrets, assembled at run time so that no scanner-triggering literal is committed."""

from __future__ import annotations

import base64
import json


def _b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GITHUB = "ghp_" + "R8vT2kLm9QxZ4bN7cW1yH5jP3sD6fG0aE2uI"
AWS_KEY_ID = "AKIA" + "Q3EGRZ7BXK4WTN6M"
SLACK_WEBHOOK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/" + "q8Zr2LmX9vT4pW7nB3kD6sH1"
JWT = _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64({"sub": "u-829", "scope": "orders"}) + ".Xk3v9QpL2mZ7tR4w"
LOGIN_WORD = "Tr0ub" + "4dor-and-3"
API_KEY = "q8Zr2LmX9vT4" + "pW7nB3kD6sH1"
GOOGLE = "AIza" + "SyD4fK9mQ2xL7vB3nT8wR1cJ6hZ0pE5gU2y"
PEM = (
    "-----BEGIN RSA "
    + "PRIVATE KEY-----\nMIIEowIBAAKCAQEA7v3kq9Zx2Lm8Tp4W\nRt5Yb1Nc6Hd0Jf3Gs8Ka2Qe7Uv9Xy4\n-----END RSA "
    + "PRIVATE KEY-----"
)
SENDGRID = "SG." + "a1B2c3D4e5F6g7H8i9J0kL" + "." + "m1N2o3P4q5R6s7T8u9V0w1X2y3Z4a5B6c7D8e9F0g1H"
URL_PASSWORD = "Zq7" + "pLm2vR9tw"

ALL = (STRIPE, GITHUB, AWS_KEY_ID, SLACK_WEBHOOK, JWT, LOGIN_WORD, API_KEY, GOOGLE, PEM, SENDGRID, URL_PASSWORD)
