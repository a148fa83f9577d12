# Referral batch assignment: outcomes and shortfalls — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

assign-outcome-assigned = assigned { $units } place(s) at a total cost of { $cost }
assign-outcome-partly_assigned = assigned { $units } of { $demand } place(s) at a total cost of { $cost }
assign-outcome-unassigned = not assigned ({ $demand } place(s) needed)
assign-shortfall-capacity_exhausted = the { $places } place(s) at the { $eligible_services } eligible service(s) are taken: { $held_by_higher_priority } by cases of higher priority, { $held_by_same_priority } by cases of the same priority placed more people or at lower total cost
assign-shortfall-no_capacity = none of the { $eligible_services } eligible service(s) has an open place
assign-shortfall-no_eligible_service = no service is eligible: every one is excluded by a hard constraint
assign-shortfall-outranked_by_higher_priority = all { $places } place(s) at the { $eligible_services } eligible service(s) went to cases of higher priority
