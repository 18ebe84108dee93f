"""The demo programs' training plans (data, as a client's trainer would write them)."""

from __future__ import annotations


def _q(key, text, choices, correct, kind="single"):
    return {"key": key, "kind": kind, "text": text, "choices": choices, "correct": correct}


def _tf(key, text, correct):
    return {"key": key, "kind": "true_false", "text": text, "correct": correct}


RETAIL_BANK = [
    _q("return-window", "How long does a customer have to return an item?", ["14 days", "30 days", "60 days"], [1]),
    _q("damaged-proof", "A damaged item: what do you ask the customer for?",
       ["A photo of the item", "A photo of the parcel label", "Their date of birth"], [0, 1], "multiple"),
    _tf("label-print", "The customer must print the return label themselves.", False),
    _q("case-number", "Where is the case number logged?", ["In the case notes", "In an e-mail to the lead"], [0]),
    _q("failed-retry", "When is a failed payment retried?", ["Day 1, 3 and 7", "Every day for a week", "Never"], [0]),
    _q("double-charge", "A double charge: what comes first?",
       ["Refund at once", "Check whether one charge is a pending authorisation", "Escalate to the lead"], [1]),
    _tf("promo-stack", "Two promotion codes can be combined on one order.", False),
    _q("missing-parcel", "A parcel is marked delivered but missing. Which steps apply?",
       ["Check the delivery photo", "Open a carrier trace", "Refund before the trace ends"], [0, 1], "multiple"),
]  # fmt: skip
TECH_BANK = [
    _q("reset-first", "A device will not start: the first step?", ["Hold power 10 seconds", "Book a repair"], [0]),
    _tf("two-factor-id", "Resetting two-factor needs an identity check first.", True),
    _q("warranty-proof", "What opens a warranty claim?", ["Serial number", "Proof of purchase", "A photo of the box"],
       [0, 1], "multiple"),
    _q("wifi-drops", "Wi-Fi drops every few minutes: which is NOT a first step?",
       ["Forget and rejoin the network", "Update the firmware", "Replace the device"], [2]),
    _tf("abroad", "The standard warranty covers devices bought abroad.", False),
    _q("accidental", "Accidental damage is covered by", ["The standard warranty", "The extended plan only"], [1]),
]  # fmt: skip


def plans(trees: set[str]) -> dict[str, dict]:
    """program code -> document; tree modules only for the trees the demo made (they need the shared data)."""

    def tree(key, slug):
        return [{"key": key, "kind": "tree", "tree": slug}] if slug in trees else []

    retail = {
        "assessments": [{"key": "retail-basics", "title": "Retail Care basics", "questions_per_attempt": 5,
                         "pass_percent": 80, "max_attempts": 3, "cooldown_hours": 24, "questions": RETAIL_BANK}],
        "certifications": [{"key": "retail-care", "title": "Retail Care agent", "assessment": "retail-basics",
                            "valid_months": 12, "recertify_within_days": 30}],
        "curricula": [
            {"contact_type": "ORDER", "title": "Order status desk", "modules": [
                *tree("walk-shipping", "shipping-issue"),
                {"key": "pass-retail-order", "kind": "assessment", "assessment": "retail-basics"},
                {"key": "shadow-order", "kind": "shadowing", "title": "Shadow a senior agent on calls", "hours": 8}]},
            {"contact_type": "RETURN", "title": "Returns and refunds desk", "modules": [
                {"key": "read-start-return", "kind": "article", "article": "start-a-return"},
                {"key": "read-refund-damaged", "kind": "article", "article": "refund-damaged-item"},
                *tree("walk-defect", "product-defect"),
                {"key": "pass-retail-return", "kind": "assessment", "assessment": "retail-basics"},
                {"key": "shadow-return", "kind": "shadowing", "title": "Nest on live chats with a coach", "hours": 8}]},
            {"contact_type": "BILLING", "title": "Billing desk", "modules": [
                {"key": "read-failed-payment", "kind": "article", "article": "failed-payment"},
                {"key": "read-mystery-fee", "kind": "article", "article": "mystery-fee"},
                *tree("walk-dispute", "purchase-dispute"),
                {"key": "shadow-billing", "kind": "shadowing", "title": "Shadow the billing queue", "hours": 6}]},
        ],
        "gates": [
            {"contact_type": "ORDER", "modules": ["pass-retail-order", "shadow-order"], "certification": "retail-care",
             "nesting_days": 14, "nesting_from": "hire"},
            {"contact_type": "RETURN", "modules": ["read-start-return", "read-refund-damaged", "shadow-return"],
             "certification": "retail-care", "nesting_days": 21, "nesting_from": "hire", "qa_floor_percent": 70,
             "qa_window_days": 180},
            {"contact_type": "BILLING", "modules": ["read-failed-payment", "read-mystery-fee", "shadow-billing"],
             "certification": "retail-care", "nesting_days": 14, "nesting_from": "nesting_start"},
        ],
    }  # fmt: skip
    tech = {
        "assessments": [{"key": "tech-basics", "title": "Tech Support basics", "questions_per_attempt": 4,
                         "pass_percent": 75, "max_attempts": 3, "cooldown_hours": 48, "questions": TECH_BANK}],
        "certifications": [{"key": "tech-support", "title": "Tech Support agent", "assessment": "tech-basics",
                            "valid_months": 6, "recertify_within_days": 21}],
        "curricula": [
            {"contact_type": "TROUBLE", "title": "Troubleshooting desk", "modules": [
                *tree("walk-site", "troubleshoot-site"),
                {"key": "pass-tech-trouble", "kind": "assessment", "assessment": "tech-basics"},
                {"key": "shadow-trouble", "kind": "shadowing", "title": "Shadow a tier-2 agent", "hours": 12}]},
            {"contact_type": "SETUP", "title": "Set-up desk", "modules": [
                {"key": "read-reset-password", "kind": "article", "article": "reset-password"},
                *tree("walk-access", "account-access"),
                {"key": "shadow-setup", "kind": "shadowing", "title": "Nest on set-up chats", "hours": 8}]},
            {"contact_type": "WARRANTY", "title": "Warranty desk", "modules": [
                {"key": "read-warranty-claim", "kind": "article", "article": "start-warranty-claim"},
                {"key": "pass-tech-warranty", "kind": "assessment", "assessment": "tech-basics"},
                {"key": "shadow-warranty", "kind": "shadowing", "title": "Shadow the claims queue", "hours": 6}]},
        ],
        "gates": [
            {"contact_type": "TROUBLE", "modules": ["pass-tech-trouble", "shadow-trouble"],
             "certification": "tech-support", "nesting_days": 21, "nesting_from": "hire"},
            {"contact_type": "SETUP", "modules": ["read-reset-password", "shadow-setup"],
             "certification": "tech-support", "nesting_days": 14, "nesting_from": "hire"},
            {"contact_type": "WARRANTY", "modules": ["read-warranty-claim", "shadow-warranty"],
             "certification": "tech-support", "nesting_days": 14, "nesting_from": "hire"},
        ],
    }  # fmt: skip
    return {"RETAIL": retail, "TECH": tech}
