# The shared vocabulary: need domains, levels, merge conflicts, dates — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

domain-basic_items = Clothing and basic items
domain-childcare = Childcare and dependants
domain-community = Community acceptance
domain-debt = Debt and financial stability
domain-documents = Identity documents and formal identification
domain-education = Skills and education
domain-emergency_funds = Emergency funds
domain-family = Family connection
domain-food = Food
domain-legal = Legal aid and justice
domain-livelihood = Livelihood and employment
domain-mental_health = Mental health
domain-peer_support = Peer support
domain-physical_health = Physical health
domain-safety = Safety from perpetrators
domain-shelter = Shelter and housing
level-building_capacity = building capacity
level-in_crisis = in crisis
level-safe = safe
level-thriving = thriving
level-vulnerable = vulnerable
merge-absent = removed
merge-conflict = { $path } was changed on both phones: { $ours } ({ $ours_by }, { $ours_at }) and { $theirs } ({ $theirs_by }, { $theirs_at }); { $kept } is kept until someone resolves it
merge-items = a list of { $count }
merge-kept-earlier_revocation = the earlier revocation
merge-kept-later_edit = the later edit
merge-kept-person_declined = her decision not to go on now
merge-kept-refusal = the refusal
merge-kept-withdrawal = the withdrawal
merge-record = a record
merge-someone = someone
term-person = survivor

# How a day is written: `iso` (2026-11-20, digits of the locale) or `day-month-year`
# (20 November 2026, with the month names below).
date-style = iso
date-month-1 = January
date-month-2 = February
date-month-3 = March
date-month-4 = April
date-month-5 = May
date-month-6 = June
date-month-7 = July
date-month-8 = August
date-month-9 = September
date-month-10 = October
date-month-11 = November
date-month-12 = December
