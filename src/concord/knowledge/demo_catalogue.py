"""The demo knowledge base: our own short procedures per program and contact type (no Django).

Each topic: slug, title, the steps an agent follows, what to tell the customer, when to escalate.
Written for the demo; the subjects follow the intents of the customer-service datasets in
../shared/data (account access, orders, returns, billing, troubleshooting), none of their text.
"""

from __future__ import annotations

Topic = tuple[str, str, tuple[str, ...], str, str]

CATALOGUE: dict[tuple[str, str], list[Topic]] = {
    ("RETAIL", "ORDER"): [
        (
            "order-status",
            "Check an order's status",
            (
                "Pull up the account by e-mail or order number",
                "Open the order and read the carrier status",
                "Give the delivery window from the carrier",
            ),
            "Your order left our warehouse on {date}; the carrier expects to deliver by {window}.",
            "The carrier shows no scan for 5 working days.",
        ),
        (
            "change-delivery-address",
            "Change a delivery address",
            (
                "Verify identity with two factors",
                "Check the parcel has not shipped",
                "Update the address and re-send the confirmation",
            ),
            "I have updated the address; you will get a new confirmation e-mail.",
            "The parcel has already shipped.",
        ),
        (
            "cancel-order",
            "Cancel an order before it ships",
            (
                "Verify identity",
                "Check the order is unshipped",
                "Cancel and issue the refund to the original payment method",
            ),
            "The order is cancelled and the refund will show within 5 working days.",
            "The order is in picking.",
        ),
        (
            "missing-parcel",
            "A parcel marked delivered has not arrived",
            (
                "Verify the delivery address",
                "Ask the customer to check with neighbours and the safe place",
                "Open a carrier trace",
            ),
            "I have opened a trace with the carrier; we will update you within 48 hours.",
            "The trace comes back negative: send a replacement.",
        ),
        (
            "shipping-costs",
            "Explain shipping costs",
            ("Check the basket value against the free-shipping threshold", "Read the rate for the chosen speed"),
            "Shipping is free from 50 EUR; express costs 7.90 EUR.",
            "The customer was charged twice for shipping.",
        ),
        (
            "split-shipment",
            "An order arrives in several parcels",
            ("Open the order's shipments", "Give each parcel's tracking number"),
            "Your order ships in {n} parcels; here are the tracking numbers.",
            "A parcel has no tracking number after 24 hours.",
        ),
        (
            "order-upgrade",
            "Upgrade the shipping speed",
            ("Check the order is unshipped", "Charge the difference", "Confirm the new delivery date"),
            "Your order now ships express and arrives by {date}.",
            "The warehouse cannot meet the new date.",
        ),
    ],
    ("RETAIL", "RETURN"): [
        (
            "start-a-return",
            "Start a return",
            ("Check the item is within 30 days", "Create the return label", "Send the label by e-mail"),
            "Your return label is in your inbox; drop the parcel at any pick-up point.",
            "The item is outside 30 days: a team lead decides.",
        ),
        (
            "refund-damaged-item",
            "Refund a damaged item",
            (
                "Ask for a photo of the damage",
                "Refund to the original payment method without a return",
                "Tag the contact DAMAGED",
            ),
            "I am sorry it arrived damaged; the refund is on its way and you can keep the item.",
            "The refund is over 200 EUR.",
        ),
        (
            "refund-status",
            "Where is my refund?",
            ("Find the refund on the order", "Check the payment processor date", "Give the bank's usual delay"),
            "The refund was issued on {date}; banks take up to 5 working days.",
            "More than 10 working days have passed.",
        ),
        (
            "wrong-size",
            "Exchange for another size",
            ("Check stock of the new size", "Create an exchange order", "Send the return label"),
            "The new size ships as soon as we scan your return.",
            "The size is out of stock.",
        ),
        (
            "wrong-colour",
            "The colour is not as shown",
            ("Ask which colour was expected", "Offer an exchange or a refund"),
            "We will exchange it or refund you, as you prefer.",
            "Several customers report the same item: notify the catalogue team.",
        ),
        (
            "stain-on-item",
            "A new item has a stain",
            ("Ask for a photo", "Offer replacement or refund"),
            "We will replace it at no cost.",
            "The item is a final-sale item.",
        ),
        (
            "return-without-receipt",
            "A return without an order number",
            ("Search the account by e-mail and name", "Search by card's last four digits"),
            "I found your order; here is your return label.",
            "No order can be found: a team lead decides.",
        ),
    ],
    ("RETAIL", "BILLING"): [
        (
            "mystery-fee",
            "An unexpected fee on the bill",
            ("Open the invoice lines", "Explain each fee", "Refund a fee charged in error"),
            "The 4.99 EUR was the express shipping you chose on {date}.",
            "A fee appears on many accounts the same day.",
        ),
        (
            "double-charge",
            "Charged twice for one order",
            ("Compare the two payment references", "Void the duplicate authorisation"),
            "The second charge is an authorisation and drops off in 3 days.",
            "Both charges have settled.",
        ),
        (
            "price-match",
            "The price dropped after purchase",
            ("Check the price-protection window (14 days)", "Refund the difference"),
            "I have refunded the difference of {amount}.",
            "A competitor's price is claimed.",
        ),
        (
            "promo-code-invalid",
            "A promo code does not work",
            ("Check the code's dates and conditions", "Apply the discount by hand when the code should have worked"),
            "I have applied the discount for you.",
            "The code was never issued by us.",
        ),
        (
            "update-payment-method",
            "Update a payment method",
            ("Verify identity", "Send the secure payment link"),
            "I have sent you a secure link; we never take card numbers by chat.",
            "The link fails twice.",
        ),
        (
            "subscription-due-date",
            "When is my subscription due?",
            ("Open the subscription", "Give the next billing date and amount"),
            "Your next payment of {amount} is due on {date}.",
            "The customer disputes the amount.",
        ),
        (
            "failed-payment",
            "A recurring payment failed",
            (
                "Check the decline reason",
                "Retry after the customer updates the card",
                "Explain the retry schedule: day 1, 3 and 7",
            ),
            "We will retry on {date}; update your card before then to keep your membership.",
            "The third retry fails: the account goes on hold.",
        ),
    ],
    ("TECH", "TROUBLE"): [
        (
            "device-will-not-start",
            "A device will not start",
            ("Ask for a 30-second power-button reset", "Try another charger", "Check the warranty"),
            "Please hold the power button for 30 seconds.",
            "Nothing changes after the reset: start a warranty claim.",
        ),
        (
            "slow-performance",
            "The device is slow",
            ("Check free storage", "Install pending updates", "Restart in safe mode"),
            "Installing the update usually fixes it.",
            "It stays slow in safe mode.",
        ),
        (
            "wifi-drops",
            "Wi-Fi keeps dropping",
            ("Forget and re-join the network", "Move closer to the router", "Update the firmware"),
            "Please forget the network and join it again.",
            "Other devices work fine.",
        ),
        (
            "app-crashes",
            "The app crashes on start",
            ("Clear the app cache", "Reinstall the app", "Collect the crash report"),
            "Please reinstall the app; your data is kept.",
            "The crash is reproducible.",
        ),
        (
            "battery-drains",
            "The battery drains fast",
            ("Check battery health", "Find the app using most power"),
            "The settings show which app uses the battery.",
            "Battery health is below 80% within warranty.",
        ),
        (
            "no-sound",
            "No sound from the speaker",
            ("Check mute and volume", "Test with headphones", "Reset audio settings"),
            "Please test with headphones.",
            "No sound with headphones either.",
        ),
        (
            "screen-flicker",
            "The screen flickers",
            ("Lower refresh rate", "Update the display driver"),
            "Please update the display driver.",
            "Flicker persists after the update.",
        ),
    ],
    ("TECH", "SETUP"): [
        (
            "first-time-setup",
            "Set up a new device",
            ("Charge to 50%", "Sign in or create an account", "Restore from backup"),
            "Setup takes about 15 minutes.",
            "Activation fails twice.",
        ),
        (
            "recover-username",
            "Recover a username",
            ("Verify identity", "Send the username to the e-mail on file"),
            "Your username is in your inbox.",
            "The e-mail on file is no longer used.",
        ),
        (
            "reset-password",
            "Reset a password",
            ("Verify identity", "Send the reset link", "Stay on the line until the customer signs in"),
            "Please open the link within 15 minutes.",
            "The link expires twice.",
        ),
        (
            "reset-two-factor",
            "Reset two-factor sign-in",
            ("Verify identity with three factors", "Send the reset link to the e-mail on file"),
            "Sign in with the link and set up two-factor again.",
            "The customer cannot reach the e-mail on file.",
        ),
        (
            "pair-accessory",
            "Pair an accessory",
            ("Turn on Bluetooth", "Hold the accessory's pairing button", "Select it in settings"),
            "Hold the pairing button until the light blinks.",
            "The accessory never shows.",
        ),
        (
            "transfer-data",
            "Move data from an old device",
            ("Back up the old device", "Restore on the new one"),
            "Restoring keeps apps, photos and messages.",
            "The backup is corrupted.",
        ),
        (
            "change-account-name",
            "Change the name on an account",
            ("Verify identity", "Update the name"),
            "Your account now shows the new name.",
            "The change is for a deceased customer.",
        ),
    ],
    ("TECH", "WARRANTY"): [
        (
            "check-warranty",
            "Check warranty cover",
            ("Find the serial number", "Read the purchase date"),
            "Your device is covered until {date}.",
            "No purchase record exists.",
        ),
        (
            "start-warranty-claim",
            "Start a warranty claim",
            ("Confirm the fault is covered", "Create the claim", "Send the prepaid box"),
            "A prepaid box is on its way.",
            "The device shows misuse.",
        ),
        (
            "claim-status",
            "Where is my repair?",
            ("Open the claim", "Read the repair centre status"),
            "Your device is being repaired; expect it back by {date}.",
            "The repair is over 10 days.",
        ),
        (
            "replacement-device",
            "Replace instead of repair",
            ("Check the repair count (3 or more)", "Approve a replacement"),
            "We will send a replacement device.",
            "Stock is unavailable.",
        ),
        (
            "extended-warranty",
            "Buy extended cover",
            ("Check eligibility (within 60 days)", "Take payment by link"),
            "Extended cover adds two years.",
            "The device is outside 60 days.",
        ),
        (
            "accidental-damage",
            "Accidental damage",
            ("Check if the customer has accident cover", "Quote the repair otherwise"),
            "Accident cover pays for this repair less the excess.",
            "The damage looks deliberate.",
        ),
        (
            "warranty-abroad",
            "A repair abroad",
            ("Check the country is covered", "Give the nearest centre"),
            "Your warranty is valid in the EU and UK.",
            "The country is not covered.",
        ),
    ],
}


def body(topic: Topic) -> str:
    _, title, steps, say, escalate = topic
    lines = [f"# {title}", "", "## Steps", ""]
    lines += [f"{n}. {step}." for n, step in enumerate(steps, 1)]
    lines += ["", "## What to tell the customer", "", f"> {say}", "", "## Escalate when", "", f"- {escalate}", ""]
    return "\n".join(lines)
