# Needs: priorities, reasons, changes and the standard catalogue — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

anchor-basic_items-1 = Lacks the clothing, bedding or hygiene items needed to get through the day.
anchor-basic_items-2 = Has some basic items but cannot replace what wears out.
anchor-basic_items-3 = Has the clothing and basic items needed day to day.
anchor-basic_items-4 = Replaces basic items from own means when needed.
anchor-basic_items-5 = Fully provided for, and can help others with basic items.
anchor-childcare-1 = A child or dependant without safe care.
anchor-childcare-2 = Care for children or dependants is unreliable or sometimes unsafe.
anchor-childcare-3 = Safe care most of the time, with gaps.
anchor-childcare-4 = Reliable care arranged; dependants' needs are met.
anchor-childcare-5 = Dependants thrive; care is stable and shared.
anchor-community-1 = Shunned, threatened or isolated by the community.
anchor-community-2 = Gossip or stigma limits going out and taking part.
anchor-community-3 = Tolerated; takes part in some community life.
anchor-community-4 = Accepted, and takes part in community life.
anchor-community-5 = Respected and active in community life.
anchor-debt-1 = A debt that cannot be repaid, with threats or pressure to migrate again.
anchor-debt-2 = Repayments leave too little to live on.
anchor-debt-3 = Debt manageable under a repayment plan.
anchor-debt-4 = Little debt, paid on time from own income.
anchor-debt-5 = Free of harmful debt and managing money with confidence.
anchor-documents-1 = No identity documents and no way to obtain them.
anchor-documents-2 = Documents lost or held by others; replacement blocked.
anchor-documents-3 = Basic identity documents in hand; formal identification pending or not sought.
anchor-documents-4 = Identity documents and, where wanted, formal identification as a victim.
anchor-documents-5 = All documents in own hands, and knows how to renew them.
anchor-education-1 = Cannot read or count enough for daily tasks, with no access to learning.
anchor-education-2 = Wants to learn or train but cannot start (cost, distance, care duties).
anchor-education-3 = In school, literacy classes or vocational training.
anchor-education-4 = Has completed training and uses the skills.
anchor-education-5 = Skills lead to chosen work or further study.
anchor-emergency_funds-1 = No money, and no one to borrow from safely.
anchor-emergency_funds-2 = Could borrow only from a moneylender or broker in an emergency.
anchor-emergency_funds-3 = Could borrow safely from family or a group in an emergency.
anchor-emergency_funds-4 = Some savings put aside for emergencies.
anchor-emergency_funds-5 = Savings enough for several months of need.
anchor-family-1 = Rejected, blamed or harmed by family; no safe family contact.
anchor-family-2 = Strained contact with family, with blame or pressure.
anchor-family-3 = Accepted by some family members; contact is safe.
anchor-family-4 = Good relations with family, who support the person's plans.
anchor-family-5 = Strong and mutual family relationships.
anchor-food-1 = No reliable food; skips meals most days or depends on emergency handouts.
anchor-food-2 = Food on some days but not others; relies on people who may stop helping.
anchor-food-3 = Enough food most days, with occasional help.
anchor-food-4 = Buys or grows enough food from own means.
anchor-food-5 = Secure food for self and dependants, with a reserve for lean times.
anchor-legal-1 = Facing charges, detention or legal threats with no legal help.
anchor-legal-2 = Has a legal need (a case, a claim, a status) but no access to legal aid.
anchor-legal-3 = Has legal information or aid; any case follows the person's chosen course.
anchor-legal-4 = Legal matters progressing with steady support.
anchor-legal-5 = Legal matters resolved, or settled as the person chose.
anchor-livelihood-1 = No income and no way to earn.
anchor-livelihood-2 = Irregular, unsafe or exploitative work.
anchor-livelihood-3 = Some regular income, not yet enough to live on.
anchor-livelihood-4 = Steady income that covers basic needs.
anchor-livelihood-5 = Secure income, with savings or a growing business.
anchor-mental_health-1 = Severe distress: a danger to self, or unable to manage daily life.
anchor-mental_health-2 = Frequent fear, sleeplessness or flashbacks that limit daily life.
anchor-mental_health-3 = Distress at times, but manages daily life with support.
anchor-mental_health-4 = Copes well most of the time and knows where to find help.
anchor-mental_health-5 = Emotionally well and able to support others.
anchor-peer_support-1 = Isolated: no one who understands what the person has been through.
anchor-peer_support-2 = Knows other survivors but has no regular contact.
anchor-peer_support-3 = In touch with a survivor group or a peer now and then.
anchor-peer_support-4 = A regular member of a survivor group.
anchor-peer_support-5 = Leads or mentors others in a survivor group.
anchor-physical_health-1 = An untreated injury or illness that needs care now.
anchor-physical_health-2 = Health problems with irregular or no access to care.
anchor-physical_health-3 = Health problems managed; can reach care when needed.
anchor-physical_health-4 = In good health most of the time; seeks care on own initiative.
anchor-physical_health-5 = Good health, with regular care and the means to pay for it.
anchor-safety-1 = In immediate danger from a perpetrator or their associates.
anchor-safety-2 = Threatened by, or in contact with, people linked to the trafficking.
anchor-safety-3 = No current threat; a safety plan is in place.
anchor-safety-4 = Feels safe and knows how to respond to a risk.
anchor-safety-5 = Safe, with protection and networks that last.
anchor-shelter-1 = Homeless, in an unsafe place, or about to be evicted.
anchor-shelter-2 = Temporary shelter, or staying with others on sufferance.
anchor-shelter-3 = A stable and safe place to stay for now, not yet secure for the long term.
anchor-shelter-4 = Secure housing, paid for or arranged from own means.
anchor-shelter-5 = A safe, stable and adequate home of own choosing.
needs-change-improved = { $domain }: improved from { $from } to { $to }
needs-change-not_comparable = { $domain }: not comparable ({ $before }, then { $after })
needs-change-unchanged = { $domain }: unchanged at { $level }
needs-change-worsened = { $domain }: worsened from { $from } to { $to }
needs-change-worsened-setback = { $domain }: setback, from { $from } to { $to }
needs-duration-days =
    { $n ->
        [one] { $n } day
       *[other] { $n } days
    }
needs-duration-hours =
    { $n ->
        [one] { $n } hour
       *[other] { $n } hours
    }
needs-duration-minutes =
    { $n ->
        [one] { $n } minute
       *[other] { $n } minutes
    }
needs-item = { $position }. { $domain }: { $rating }, { $urgency }. { $reasons }
needs-item-not_referable = not proposed for referral
needs-level = level { $number }, { $label }
needs-rating-declined = declined to answer
needs-rating-not_assessed = not assessed
needs-reason-ahead_of_blocker-blocker_not_now = placed before { $blocker }, which the person does not want to work on now
needs-reason-ahead_of_blocker-own_rank = placed before { $blocker } because the person ranked it higher
needs-reason-ahead_of_blocker-red_flag = placed before { $blocker } because of a red flag
needs-reason-blocked_by = blocked by { $blocker } ({ $blocker_level })
needs-reason-blocks = blocks { $domain } ({ $level })
needs-reason-blocks_many = blocks { $count } domains: { $domains }
needs-reason-foundational = a foundational need
needs-reason-not_now = the person said "not now": never proposed for referral
needs-reason-own_level = own level: { $level }
needs-reason-own_rank = the person's own priority no. { $rank }
needs-reason-red_flag = red flag: { $flag }, respond within { $within }
needs-reason-unrated = no level ({ $rating })
needs-red_flag-child_without_safe_caregiver = a child without a safe caregiver
needs-red_flag-immediate_danger = immediate danger from a perpetrator
needs-red_flag-suicidal_thoughts = thoughts of suicide
needs-red_flag-untreated_injury = untreated injury
needs-urgency-high = high
needs-urgency-low = low
needs-urgency-medium = medium
needs-urgency-red_flag = red flag
needs-urgency-urgent = urgent
