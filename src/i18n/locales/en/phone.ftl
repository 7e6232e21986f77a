# Phones: the Sign link at the top, the error summary's field names, the
# goal reached, and what a confirmation publishes.
phone-sign-link = Sign the letter
phone-summary-name = Full name
phone-summary-titles = Titles or affiliations
phone-summary-email = Email address
phone-summary-city = City or region
phone-summary-visibility = Display of your signature
phone-summary-consent = Consent
phone-goal-reached = Goal reached: { $count ->
        [one] { $display } signature
       *[other] { $display } signatures
    } of a goal of { $goal }
phone-dash-goal-reached = Goal reached: { $count ->
        [one] { $display } public signature
       *[other] { $display } public signatures
    } for a goal of { $goal }.
phone-dash-raise-goal = Raise the goal
phone-email-field = { $label }: { $value }
phone-email-label = { $label }:
phone-confirmed-what = What you confirmed
