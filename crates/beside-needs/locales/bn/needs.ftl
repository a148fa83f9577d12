# DRAFT — Bengali (bn) words of needs: priorities, reasons, urgencies and changes. Written for
# review by native speakers before use with people. What is missing (the catalogue's level
# anchors) falls back to English, `locales/en/needs.ftl`, the reference.

needs-item = { $position }. { $domain }: { $rating }, { $urgency }। { $reasons }
needs-item-not_referable = রেফারেলের জন্য প্রস্তাব করা হয়নি
needs-level = স্তর { $number }, { $label }
needs-rating-declined = উত্তর দিতে চাননি
needs-rating-not_assessed = মূল্যায়ন করা হয়নি

needs-urgency-red_flag = বিপদ-সংকেত
needs-urgency-urgent = জরুরি
needs-urgency-high = উচ্চ
needs-urgency-medium = মাঝারি
needs-urgency-low = নিম্ন

needs-red_flag-suicidal_thoughts = আত্মহত্যার চিন্তা
needs-red_flag-immediate_danger = নির্যাতনকারীর কাছ থেকে তাৎক্ষণিক বিপদ
needs-red_flag-untreated_injury = চিকিৎসা না হওয়া আঘাত
needs-red_flag-child_without_safe_caregiver = নিরাপদ অভিভাবক ছাড়া একটি শিশু

needs-duration-minutes = { $n } মিনিট
needs-duration-hours = { $n } ঘণ্টা
needs-duration-days = { $n } দিন

needs-reason-red_flag = বিপদ-সংকেত: { $flag }, { $within }-এর মধ্যে সাড়া দিন
needs-reason-own_level = নিজের স্তর: { $level }
needs-reason-unrated = কোনো স্তর নেই ({ $rating })
needs-reason-foundational = একটি মৌলিক প্রয়োজন
needs-reason-blocks = { $domain } ({ $level }) আটকে রাখছে
needs-reason-blocks_many = { $count }টি বিষয় আটকে রাখছে: { $domains }
needs-reason-blocked_by = { $blocker } ({ $blocker_level })-এর কারণে আটকে আছে
needs-reason-own_rank = ব্যক্তির নিজের অগ্রাধিকার নং { $rank }
needs-reason-ahead_of_blocker-own_rank = { $blocker }-এর আগে রাখা হয়েছে, কারণ ব্যক্তিটি এটিকে বেশি গুরুত্ব দিয়েছেন
needs-reason-ahead_of_blocker-red_flag = একটি বিপদ-সংকেতের কারণে { $blocker }-এর আগে রাখা হয়েছে
needs-reason-ahead_of_blocker-blocker_not_now = { $blocker }-এর আগে রাখা হয়েছে, কারণ ব্যক্তিটি এখন সেটি নিয়ে কাজ করতে চান না
needs-reason-not_now = ব্যক্তিটি বলেছেন "এখন নয়": কখনো রেফারেলের জন্য প্রস্তাব করা হবে না

needs-change-improved = { $domain }: { $from } থেকে { $to }-তে উন্নতি হয়েছে
needs-change-worsened = { $domain }: { $from } থেকে { $to }-তে অবনতি হয়েছে
needs-change-worsened-setback = { $domain }: পিছিয়ে পড়া, { $from } থেকে { $to }
needs-change-unchanged = { $domain }: { $level }-এ অপরিবর্তিত
needs-change-not_comparable = { $domain }: তুলনা করা যায় না ({ $before }, তারপর { $after })
