# Referral: exclusions, scores, pathways, plans, deadlines, gaps — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

referral-area_test-location_district = she lives outside the districts of its locations
referral-area_test-path = none of its named areas holds her home area
referral-area_test-shape = her home lies outside the areas it has drawn
referral-area_test-shape_without_coordinates = its area is drawn and her home coordinates are not known
referral-awaiting-provider_answer = no answer from the provider yet
referral-awaiting-send = not sent yet
referral-consent_reason-assent_missing = the child's own assent is missing
referral-consent_reason-best_interest_not_authorised = the best-interest determination was made by someone not authorised
referral-consent_reason-emergency_lapsed = the emergency permission has lapsed
referral-consent_reason-expired = the consent expired and needs renewing
referral-consent_reason-explicit_refusal = the person refused it
referral-consent_reason-guardian_consent_missing = a child: a guardian's consent is needed
referral-consent_reason-guardian_for_adult = a guardian consented for an adult: only a legal representative can consent for an adult
referral-consent_reason-guardian_implicated = the guardian is implicated in the harm: only a best-interest determination can stand in
referral-consent_reason-none_given = no consent given
referral-consent_reason-not_emergency_services = an emergency permits disclosure to emergency services only
referral-consent_reason-not_yet_granted = the consent is not yet in force
referral-consent_reason-out_of_scope = no consent covers this recipient
referral-consent_reason-re_consent_due_at_majority = now an adult: the person must consent for themselves
referral-consent_reason-revoked = the consent was withdrawn
referral-distance_band-from20_to50_km = 20 to 50 km
referral-distance_band-from5_to20_km = 5 to 20 km
referral-distance_band-over50_km = over 50 km
referral-distance_band-under5_km = under 5 km
referral-exclusion-age_outside_range = age { $age } is outside the ages served ({ $min_age }–{ $max_age })
referral-exclusion-beyond_travel_limit = { $distance_km } km away, beyond the { $limit_km } km the person can travel
referral-exclusion-beyond_travel_limit_band = { $distance_band } away, beyond the { $limit_km } km the person can travel
referral-exclusion-flagged_unsafe = flagged unsafe for this case ({ $concern })
referral-exclusion-gender_not_served = serves only { $served }
referral-exclusion-inactive = not running ({ $status })
referral-exclusion-nationality_not_served = serves only nationals of { $served }
referral-exclusion-no_capacity = no open places
referral-exclusion-no_consent = no consent to share the referral's data with it: { $reasons }
referral-exclusion-outside_service_area = does not serve { $home_area } ({ $decided_by })
referral-exclusion-requires_formal_identification = needs formal identification as a victim
referral-exclusion-vetoed = the person said no to it
referral-factor-affordable = fee { $fee }, within { $can_pay }
referral-factor-cost_unknown = cost not known
referral-factor-distance = { $distance_km } km of a { $limit_km } km limit
referral-factor-distance_band = { $distance_band }, of a { $limit_km } km limit
referral-factor-distance_unknown = distance not known
referral-factor-fee_unknown_means = fee { $fee }; means not known
referral-factor-free = free
referral-factor-interpretation = interpretation available
referral-factor-language_unknown = languages not listed
referral-factor-needs_covered = covers { $covered } of { $requested } needs
referral-factor-no_fixed_limit = no fixed limit on places
referral-factor-no_preferences = no preferences stated
referral-factor-no_shared_language = no shared language
referral-factor-open_places = { $places } open places
referral-factor-outreach = comes to the person's home
referral-factor-preferences_met = { $met } of { $wanted } preferences met
referral-factor-shared_language = speaks { $language }
referral-factor-unaffordable = fee { $fee }, more than { $can_pay }
referral-factor_name-capacity = capacity
referral-factor_name-cost = cost
referral-factor_name-distance = distance
referral-factor_name-language = language
referral-factor_name-preferences = preferences
referral-factor_name-several_needs = several needs
referral-gap-reason-inactive = not running
referral-gap-reason-no_capacity = no open places
referral-gap-reason-no_shared_language = speaks none of the area's languages and offers no interpretation
referral-gap-reason-requires_court_order = only with a court order
referral-gap-reason-requires_formal_identification = only for people formally identified as victims
referral-gap-row =
    { $count ->
        [one] { $domain } in { $area }: { $reachable } of the 1 service listed can be reached
       *[other] { $domain } in { $area }: { $reachable } of the { $count } services listed can be reached
    }
referral-more-candidates =
    { $count ->
        [one] … and { $count } more eligible provider
       *[other] … and { $count } more eligible providers
    }
referral-more-cases =
    { $count ->
        [one] … and { $count } more case
       *[other] … and { $count } more cases
    }
referral-more-near_misses =
    { $count ->
        [one] … and { $count } more near miss
       *[other] … and { $count } more near misses
    }
referral-overdue-red_flag = { $flag }: a provider should have accepted within { $within }; { $late } late
referral-overdue-service_response_time = the provider answers within { $within } of being sent; { $late } late
referral-pathway-obtain_court_order = needs a court order first
referral-pathway-obtain_referral_letter = needs a referral letter first
referral-plan-best_score = best match (score { $score })
referral-plan-no_eligible_provider =
    { $count ->
        [one] no eligible provider; { $count } near miss
       *[other] no eligible provider; { $count } near misses
    }
referral-plan-no_referral_needed = level { $level }: no referral needed now
referral-plan-not_now = the person said not now
referral-plan-same_provider_as_earlier_step = same provider as step { $step } (score { $score }, best { $best_score })
referral-withheld-confidential_location = a confidential place: its address and exact distance are not shown
