# DRAFT — Khmer (km) words of needs: priorities, reasons, urgencies and changes. Written for
# review by native speakers before use with people. What is missing (the catalogue's level
# anchors) falls back to English, `locales/en/needs.ftl`, the reference.

needs-item = { $position }. { $domain }៖ { $rating }, { $urgency }។ { $reasons }
needs-item-not_referable = មិនត្រូវបានស្នើសម្រាប់ការបញ្ជូនទេ
needs-level = កម្រិត { $number }, { $label }
needs-rating-declined = មិនចង់ឆ្លើយ
needs-rating-not_assessed = មិនទាន់បានវាយតម្លៃ

needs-urgency-red_flag = សញ្ញាគ្រោះថ្នាក់
needs-urgency-urgent = បន្ទាន់
needs-urgency-high = ខ្ពស់
needs-urgency-medium = មធ្យម
needs-urgency-low = ទាប

needs-red_flag-suicidal_thoughts = គំនិតចង់ធ្វើអត្តឃាត
needs-red_flag-immediate_danger = គ្រោះថ្នាក់ភ្លាមៗពីជនល្មើស
needs-red_flag-untreated_injury = របួសដែលមិនទាន់បានព្យាបាល
needs-red_flag-child_without_safe_caregiver = កុមារដែលគ្មានអ្នកថែទាំដែលមានសុវត្ថិភាព

needs-duration-minutes = { $n } នាទី
needs-duration-hours = { $n } ម៉ោង
needs-duration-days = { $n } ថ្ងៃ

needs-reason-red_flag = សញ្ញាគ្រោះថ្នាក់៖ { $flag }, ឆ្លើយតបក្នុងរយៈពេល { $within }
needs-reason-own_level = កម្រិតផ្ទាល់ខ្លួន៖ { $level }
needs-reason-unrated = គ្មានកម្រិត ({ $rating })
needs-reason-foundational = តម្រូវការមូលដ្ឋាន
needs-reason-blocks = រារាំង { $domain } ({ $level })
needs-reason-blocks_many = រារាំង { $count } ផ្នែក៖ { $domains }
needs-reason-blocked_by = ត្រូវបានរារាំងដោយ { $blocker } ({ $blocker_level })
needs-reason-own_rank = អាទិភាពផ្ទាល់ខ្លួនរបស់បុគ្គលនេះ លេខ { $rank }
needs-reason-ahead_of_blocker-own_rank = បានដាក់មុន { $blocker } ព្រោះបុគ្គលនេះបានចាត់ថ្នាក់វាខ្ពស់ជាង
needs-reason-ahead_of_blocker-red_flag = បានដាក់មុន { $blocker } ដោយសារសញ្ញាគ្រោះថ្នាក់
needs-reason-ahead_of_blocker-blocker_not_now = បានដាក់មុន { $blocker } ដែលបុគ្គលនេះមិនចង់ធ្វើការលើវាឥឡូវនេះ
needs-reason-not_now = បុគ្គលនេះបាននិយាយថា "មិនមែនឥឡូវនេះទេ"៖ មិនដែលស្នើសម្រាប់ការបញ្ជូនទេ

needs-change-improved = { $domain }៖ បានប្រសើរឡើងពី { $from } ទៅ { $to }
needs-change-worsened = { $domain }៖ បានធ្លាក់ចុះពី { $from } ទៅ { $to }
needs-change-worsened-setback = { $domain }៖ ថយក្រោយ ពី { $from } ទៅ { $to }
needs-change-unchanged = { $domain }៖ នៅដដែលត្រឹម { $level }
needs-change-not_comparable = { $domain }៖ មិនអាចប្រៀបធៀបបាន ({ $before } បន្ទាប់មក { $after })
