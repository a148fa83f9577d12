# Reintegration: phases, trajectories, risks, follow-ups — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

reintegration-basis-migration_with_broker = intends to migrate ({ $intention }) with broker contact ({ $contact }): high whatever the points
reintegration-basis-points = { $points } points (moderate from { $moderate_from }, high from { $high_from }): { $level }
reintegration-basis-too_little_known = { $unknown } risk inputs unknown (more than { $max_unknown }): at least moderate
reintegration-count-below_threshold = <{ $k }
reintegration-count-cohort_too_small = cohort <{ $k }
reintegration-count-complementary = suppressed
reintegration-count-published = { $value }
reintegration-follow_up-nothing_rated = no domain rated: { $days } days
reintegration-follow_up-red_flags = red flags ({ $flags }): { $days } day(s)
reintegration-follow_up-risk = { $level } risk of re-trafficking: { $days } days
reintegration-follow_up-worst_level = { $domain } is { $level }: { $days } days
reintegration-outcome-economic = Economic
reintegration-outcome-family_connection = Connection with family
reintegration-outcome-financial_health = Financial health
reintegration-outcome-mental_health = Mental health
reintegration-outcome-psychosocial = Psychosocial
reintegration-outcome-social = Social
reintegration-outcome-social_acceptance = Acceptance within society
reintegration-phase-basic_services = Access to basic services
reintegration-phase-family_community_acceptance = Family and community acceptance
reintegration-phase-justice = Access to justice
reintegration-phase-livelihood = Livelihoods and financial health
reintegration-phase-peer_support = Peer support and leadership
reintegration-phase-return = Return
reintegration-risk-broker_contact = contact with a broker: { $contact } (+{ $points })
reintegration-risk-debt =
    { $count ->
        [one] owes { $count } debt to { $creditor } (+{ $points })
       *[other] owes { $count } debts to { $creditor } (+{ $points })
    }
reintegration-risk-family_pressure = { $strength } pressure from family (+{ $points })
reintegration-risk-intends_to_migrate = intends to migrate again: { $intention } (+{ $points })
reintegration-risk-irregular_income = irregular income (+{ $points })
reintegration-risk-isolation = isolation (+{ $points })
reintegration-risk-no_income = no income (+{ $points })
reintegration-risk-stigma = stigma or blame (+{ $points })
reintegration-risk_level-high = high
reintegration-risk_level-low = low
reintegration-risk_level-moderate = moderate
reintegration-setback-domain = { $domain } fell from { $from } to { $to } on { $on }
reintegration-setback-outcome = { $outcome } fell from { $from } to { $to } on { $on }
reintegration-status-achieved = achieved
reintegration-status-declined = declined by the person
reintegration-status-in_progress = in progress
reintegration-status-not_started = not started
reintegration-status-setback = setback
reintegration-trend-improving = improving
reintegration-trend-insufficient_data = not enough assessments yet
reintegration-trend-stable = stable
reintegration-trend-worsening = worsening
