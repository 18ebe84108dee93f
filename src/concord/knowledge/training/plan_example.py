"""The worked example shown on the plan editor (a page's help, not data)."""

EXAMPLE = """assessments:
  - key: returns-basics
    title: Returns basics
    questions_per_attempt: 2     # drawn from the bank for each attempt (the seed is kept)
    pass_percent: 80             # percent of the drawn questions answered exactly right
    max_attempts: 3              # attempts since the last pass
    cooldown_hours: 24           # wait after a failed attempt
    questions:
      - {key: window, kind: single, text: How long is the return window?, choices: [14 days, 30 days], correct: [1]}
      - {key: proof, kind: multiple, text: What do you ask for?, choices: [Photo, Receipt, Birth date], correct: [0, 1]}
      - {key: label, kind: true_false, text: The customer must print the label., correct: false}
certifications:
  - {key: returns, title: Returns desk, assessment: returns-basics, valid_months: 12, recertify_within_days: 30}
curricula:
  - contact_type: RETURN
    title: Returns desk
    modules:
      - {key: read-refunds, kind: article, article: refund-damaged-item}      # the newest version asking for an ack
      - {key: pass-basics, kind: assessment, assessment: returns-basics}
      - {key: shadow, kind: shadowing, title: Shadow a senior agent, hours: 8}
gates:
  - {contact_type: RETURN, modules: all, certification: returns, nesting_days: 14, nesting_from: hire,
     qa_floor_percent: 80, qa_window_days: 90}
"""
