# DRAFT — Khmer (km) words of consent: the read-back summary, decisions and their reasons.
# Written for review by native speakers (and by survivor leaders) before use with people; the
# sentences are kept simple. What is missing (the audit log) falls back to English,
# `locales/en/consent.ftl`, the reference.

consent-category-contact = របៀបទាក់ទងអ្នក
consent-category-health = សុខភាពរបស់អ្នក
consent-category-identity = អត្តសញ្ញាណរបស់អ្នក
consent-category-legal = បញ្ហាច្បាប់
consent-category-location = កន្លែងដែលអ្នករស់នៅ
consent-category-mental_health = សុខភាពផ្លូវចិត្តរបស់អ្នក
consent-category-photos = រូបថត
consent-category-trafficking_history = អ្វីដែលបានកើតឡើងចំពោះអ្នក

consent-given_by-best_interest = បុគ្គលិកករណី ដើម្បីផលប្រយោជន៍ល្អបំផុតរបស់អ្នក
consent-given_by-guardian = អាណាព្យាបាលរបស់អ្នក
consent-given_by-legal_representative = តំណាងផ្លូវច្បាប់របស់អ្នក
consent-given_by-person = អ្នក

consent-purpose-case_coordination = ការសម្របសម្រួលករណីរបស់អ្នក
consent-purpose-information_sharing = ការចែករំលែកព័ត៌មានជាមួយអ្នកផ្តល់សេវា
consent-purpose-law_enforcement_reporting = ការរាយការណ៍ទៅប៉ូលិស ឬព្រះរាជអាជ្ញា
consent-purpose-media_storytelling = ប្រព័ន្ធផ្សព្វផ្សាយ ឬការនិទានរឿងរបស់អ្នក
consent-purpose-research_deidentified = ការស្រាវជ្រាវដោយគ្មានឈ្មោះរបស់អ្នក
consent-purpose-service_referral = ការបញ្ជូនទៅសេវា
consent-purpose-statistics = ស្ថិតិ
consent-purpose-survivor_group_follow_up = ការតាមដានដោយក្រុមអ្នករស់រានមានជីវិត

consent-recipient-any = នរណាម្នាក់ក៏បាន
consent-recipient_kind-community = ក្រុមសហគមន៍
consent-recipient_kind-court = តុលាការ
consent-recipient_kind-emergency_services = សេវាសង្គ្រោះបន្ទាន់
consent-recipient_kind-employer = និយោជក
consent-recipient_kind-family_informal = គ្រួសារ និងអ្នកជួយក្រៅផ្លូវការ
consent-recipient_kind-government = ការិយាល័យរដ្ឋាភិបាល
consent-recipient_kind-health = សេវាសុខភាព
consent-recipient_kind-international_organization = អង្គការអន្តរជាតិ
consent-recipient_kind-ngo = អង្គការមិនមែនរដ្ឋាភិបាល
consent-recipient_kind-police = ប៉ូលិស
consent-recipient_kind-religious = ក្រុមសាសនា
consent-recipient_kind-research = អ្នកស្រាវជ្រាវ
consent-recipient_kind-survivor_led = ក្រុមអ្នករស់រានមានជីវិត

consent-summary-consent = { $given_by } បានយល់ព្រមថា { $recipients } អាចទទួល { $categories } សម្រាប់ { $purposes } រហូតដល់ { $until }។ [{ $record }]
consent-summary-refusal = អ្នកបាននិយាយថា { $recipients } មិនត្រូវទទួល { $categories } សម្រាប់ { $purposes } ជាដាច់ខាត។ [{ $record }]
consent-summary-revoked = អ្នកបានដកការយល់ព្រមរបស់អ្នកវិញនៅ { $on } ថា { $recipients } អាចទទួល { $categories } សម្រាប់ { $purposes }។ [{ $record }]
consent-summary-expired = ការយល់ព្រមរបស់អ្នកថា { $recipients } អាចទទួល { $categories } សម្រាប់ { $purposes } បានបញ្ចប់នៅ { $on }។ [{ $record }]
consent-summary-reconsent_due = មាននរណាម្នាក់បានយល់ព្រមជំនួសអ្នក កាលអ្នកនៅជាកុមារ ថា { $recipients } អាចទទួល { $categories } សម្រាប់ { $purposes }។ ឥឡូវអ្នកពេញវ័យហើយ៖ ការនេះលែងរាប់ទៀតហើយ លុះត្រាតែអ្នកយល់ព្រមដោយខ្លួនឯង។ [{ $record }]
consent-summary-guardian_for_adult = អាណាព្យាបាលរបស់អ្នកបានយល់ព្រមជំនួសអ្នក នៅពេលអ្នកពេញវ័យរួចហើយ ថា { $recipients } អាចទទួល { $categories } សម្រាប់ { $purposes }។ ការនេះមិនរាប់ទេ៖ មានតែអ្នក ឬតំណាងផ្លូវច្បាប់ទេ ដែលអាចយល់ព្រមជំនួសមនុស្សពេញវ័យ។ [{ $record }]
consent-summary-nothing = អ្នកមិនទាន់បានយល់ព្រមចែករំលែកអ្វីទេ។
consent-summary-no_end = អ្នកដកវាវិញ
consent-summary-unknown_date = កាលបរិច្ឆេទមិនដឹង

consent-outcome-permit = { $recipient } អាចទទួលបានអ្វីៗទាំងអស់ដែលបានស្នើសុំសម្រាប់ { $purpose }។
consent-outcome-partial_permit = { $recipient } អាចទទួលបានតែផ្នែកខ្លះនៃអ្វីដែលបានស្នើសុំសម្រាប់ { $purpose }។
consent-outcome-deny = { $recipient } មិនអាចទទួលអ្វីដែលបានស្នើសុំសម្រាប់ { $purpose } បានទេ។
consent-permit-consent = { $category }៖ អាចផ្តល់បាន តាមការយល់ព្រម { $records }។
consent-permit-emergency = { $category }៖ អាចផ្តល់ទៅសេវាសង្គ្រោះបន្ទាន់ តាមស្ថានភាពបន្ទាន់ { $disclosure }។

consent-reason-none_given = { $category }៖ មិនទាន់មានការយល់ព្រមទេ។
consent-reason-out_of_scope = { $category }៖ គ្មានការយល់ព្រមណាមួយគ្របដណ្តប់អ្នកទទួលនេះ និង { $purpose } ទេ។
consent-reason-not_yet_granted = { $category }៖ ការយល់ព្រម { $record } ទើបតែបានផ្តល់នៅ { $on }។
consent-reason-expired = { $category }៖ ការយល់ព្រម { $record } បានផុតកំណត់នៅ { $on }។
consent-reason-revoked = { $category }៖ ការយល់ព្រម { $record } ត្រូវបានដកវិញនៅ { $on }។
consent-reason-explicit_refusal = { $category }៖ ត្រូវបានបដិសេធដោយ { $record }; ការបដិសេធតែងតែឈ្នះ។
consent-reason-guardian_consent_missing = { $category }៖ បុគ្គលនេះជាកុមារ (អាយុ { $age }); ការយល់ព្រម { $record } ត្រូវការការយល់ព្រមពីអាណាព្យាបាល។
consent-reason-guardian_implicated = { $category }៖ ការយល់ព្រម { $record } ត្រូវបានផ្តល់ដោយអាណាព្យាបាល { $guardian } ដែលពាក់ព័ន្ធនឹងការធ្វើបាប; មានតែការសម្រេចផលប្រយោជន៍ល្អបំផុតទេ ដែលអាចជំនួសបាន។
consent-reason-best_interest_not_authorised = { $category }៖ ការសម្រេចផលប្រយោជន៍ល្អបំផុតក្នុង { $record } ត្រូវបានធ្វើដោយ { $worker } ដែលគ្មានសិទ្ធិ។
consent-reason-assent_missing = { $category }៖ កុមារ (អាយុ { $age }) ត្រូវយល់ព្រមខ្លួនឯងផងដែរ ចាប់ពីអាយុ { $assent_from_age }; ការយល់ព្រម { $record } គ្មានការយល់ព្រមរបស់កុមារទេ។
consent-reason-re_consent_due_at_majority = { $category }៖ ការយល់ព្រម { $record } ត្រូវបានផ្តល់ពេលបុគ្គលនេះនៅជាកុមារ; គាត់បានពេញវ័យនៅ { $on } ហើយត្រូវយល់ព្រមដោយខ្លួនឯង។
consent-reason-guardian_for_adult = { $category }៖ ការយល់ព្រម { $record } ត្រូវបានផ្តល់ដោយអាណាព្យាបាល ជំនួសមនុស្សពេញវ័យ (ពេញវ័យតាំងពី { $on }); មានតែតំណាងផ្លូវច្បាប់ទេ ដែលអាចយល់ព្រមជំនួសមនុស្សពេញវ័យ។
consent-reason-not_emergency_services = { $category }៖ ករណីលើកលែងបន្ទាន់ អនុញ្ញាតឱ្យផ្តល់ព័ត៌មានតែទៅសេវាសង្គ្រោះបន្ទាន់ប៉ុណ្ណោះ មិនមែនទៅ { $kind } ទេ។
consent-reason-emergency_lapsed = { $category }៖ ស្ថានភាពបន្ទាន់ { $disclosure } ដែលបានប្រកាសនៅ { $on } អនុញ្ញាតឱ្យផ្តល់ព័ត៌មានបានតែ { $hours } ម៉ោងប៉ុណ្ណោះ។
consent-reason-unknown_age = មិនដឹង
