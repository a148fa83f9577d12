# DRAFT — Bengali (bn) words of consent: the read-back summary, decisions and their reasons.
# Written for review by native speakers (and by survivor leaders) before use with people; the
# sentences are kept simple and address the person as আপনি. What is missing (the audit log)
# falls back to English, `locales/en/consent.ftl`, the reference.

consent-category-contact = আপনার সাথে যোগাযোগের উপায়
consent-category-health = আপনার স্বাস্থ্য
consent-category-identity = আপনার পরিচয়
consent-category-legal = আইনি বিষয়
consent-category-location = আপনি কোথায় থাকেন
consent-category-mental_health = আপনার মানসিক স্বাস্থ্য
consent-category-photos = ছবি
consent-category-trafficking_history = আপনার সাথে যা ঘটেছে

consent-given_by-best_interest = আপনার সর্বোত্তম স্বার্থে একজন কেস ওয়ার্কার
consent-given_by-guardian = আপনার অভিভাবক
consent-given_by-legal_representative = আপনার আইনি প্রতিনিধি
consent-given_by-person = আপনি

consent-purpose-case_coordination = আপনার কেস সমন্বয় করা
consent-purpose-information_sharing = একটি সেবাদানকারীর সাথে তথ্য ভাগ করা
consent-purpose-law_enforcement_reporting = পুলিশ বা সরকারি কৌঁসুলিকে জানানো
consent-purpose-media_storytelling = গণমাধ্যম বা আপনার গল্প বলা
consent-purpose-research_deidentified = আপনার নাম ছাড়া গবেষণা
consent-purpose-service_referral = একটি সেবায় রেফারেল
consent-purpose-statistics = পরিসংখ্যান
consent-purpose-survivor_group_follow_up = বেঁচে ফেরা মানুষদের দলের খোঁজখবর

consent-recipient-any = যে কেউ
consent-recipient_kind-community = সামাজিক সংগঠন
consent-recipient_kind-court = আদালত
consent-recipient_kind-emergency_services = জরুরি সেবা
consent-recipient_kind-employer = নিয়োগকর্তা
consent-recipient_kind-family_informal = পরিবার ও অনানুষ্ঠানিক সহায়তাকারী
consent-recipient_kind-government = সরকারি অফিস
consent-recipient_kind-health = স্বাস্থ্যসেবা
consent-recipient_kind-international_organization = আন্তর্জাতিক সংস্থা
consent-recipient_kind-ngo = এনজিও
consent-recipient_kind-police = পুলিশ
consent-recipient_kind-religious = ধর্মীয় সংগঠন
consent-recipient_kind-research = গবেষক
consent-recipient_kind-survivor_led = বেঁচে ফেরা মানুষদের সংগঠন

consent-summary-consent = { $given_by } সম্মতি দিয়েছেন যে { $recipients } পেতে পারবে: { $categories }। উদ্দেশ্য: { $purposes }। { $until } পর্যন্ত। [{ $record }]
consent-summary-refusal = আপনি বলেছেন, { $recipients } কখনো পাবে না: { $categories }। উদ্দেশ্য: { $purposes }। [{ $record }]
consent-summary-revoked = আপনি { $on } তারিখে আপনার সম্মতি প্রত্যাহার করেছেন যে { $recipients } পেতে পারবে: { $categories }। উদ্দেশ্য: { $purposes }। [{ $record }]
consent-summary-expired = আপনার সম্মতি যে { $recipients } পেতে পারবে: { $categories } (উদ্দেশ্য: { $purposes }), { $on } তারিখে শেষ হয়েছে। [{ $record }]
consent-summary-reconsent_due = আপনি শিশু থাকাকালে কেউ আপনার হয়ে সম্মতি দিয়েছিলেন যে { $recipients } পেতে পারবে: { $categories }। উদ্দেশ্য: { $purposes }। আপনি এখন প্রাপ্তবয়স্ক: আপনি নিজে সম্মতি না দিলে এটি আর গণ্য হবে না। [{ $record }]
consent-summary-guardian_for_adult = আপনি প্রাপ্তবয়স্ক হওয়ার পরে আপনার অভিভাবক আপনার হয়ে সম্মতি দিয়েছেন যে { $recipients } পেতে পারবে: { $categories }। উদ্দেশ্য: { $purposes }। এটি গণ্য হবে না: প্রাপ্তবয়স্কের হয়ে শুধু আপনি বা একজন আইনি প্রতিনিধি সম্মতি দিতে পারেন। [{ $record }]
consent-summary-nothing = আপনি কিছুই ভাগ করার সম্মতি দেননি।
consent-summary-no_end = আপনি প্রত্যাহার না করা
consent-summary-unknown_date = অজানা তারিখ

consent-outcome-permit = { $recipient } { $purpose }-এর জন্য যা চাওয়া হয়েছে তার সবকিছু পেতে পারবে।
consent-outcome-partial_permit = { $recipient } { $purpose }-এর জন্য যা চাওয়া হয়েছে তার শুধু একটি অংশ পেতে পারবে।
consent-outcome-deny = { $recipient } { $purpose }-এর জন্য যা চাওয়া হয়েছে তা পেতে পারবে না।
consent-permit-consent = { $category }: সম্মতি { $records } অনুযায়ী দেওয়া যাবে।
consent-permit-emergency = { $category }: জরুরি অবস্থা { $disclosure } অনুযায়ী শুধু জরুরি সেবাকে দেওয়া যাবে।

consent-reason-none_given = { $category }: কোনো সম্মতি দেওয়া হয়নি।
consent-reason-out_of_scope = { $category }: কোনো সম্মতি এই প্রাপক এবং { $purpose } অন্তর্ভুক্ত করে না।
consent-reason-not_yet_granted = { $category }: সম্মতি { $record } কেবল { $on } তারিখে দেওয়া হয়েছে।
consent-reason-expired = { $category }: সম্মতি { $record }-এর মেয়াদ { $on } তারিখে শেষ হয়েছে।
consent-reason-revoked = { $category }: সম্মতি { $record } { $on } তারিখে প্রত্যাহার করা হয়েছে।
consent-reason-explicit_refusal = { $category }: { $record }-এ প্রত্যাখ্যান করা হয়েছে; প্রত্যাখ্যান সবসময় প্রাধান্য পায়।
consent-reason-guardian_consent_missing = { $category }: ব্যক্তিটি শিশু (বয়স { $age }); সম্মতি { $record }-এর জন্য অভিভাবকের সম্মতি প্রয়োজন।
consent-reason-guardian_implicated = { $category }: সম্মতি { $record } দিয়েছেন অভিভাবক { $guardian }, যিনি ক্ষতির সাথে জড়িত; শুধু সর্বোত্তম স্বার্থের সিদ্ধান্ত এর বদলে চলতে পারে।
consent-reason-best_interest_not_authorised = { $category }: { $record }-এ সর্বোত্তম স্বার্থের সিদ্ধান্তটি নিয়েছেন { $worker }, যাঁর সেই অনুমতি নেই।
consent-reason-assent_missing = { $category }: শিশুটিকে (বয়স { $age }) { $assent_from_age } বছর বয়স থেকে নিজেও সম্মতি দিতে হবে; সম্মতি { $record }-এ শিশুর সম্মতি নেই।
consent-reason-re_consent_due_at_majority = { $category }: সম্মতি { $record } দেওয়া হয়েছিল ব্যক্তিটি শিশু থাকাকালে; তিনি { $on } তারিখে প্রাপ্তবয়স্ক হয়েছেন এবং তাঁকে নিজে সম্মতি দিতে হবে।
consent-reason-guardian_for_adult = { $category }: সম্মতি { $record } একজন প্রাপ্তবয়স্কের হয়ে অভিভাবক দিয়েছেন ({ $on } থেকে প্রাপ্তবয়স্ক); প্রাপ্তবয়স্কের হয়ে শুধু আইনি প্রতিনিধি সম্মতি দিতে পারেন।
consent-reason-not_emergency_services = { $category }: জরুরি ব্যতিক্রমে শুধু জরুরি সেবাকে তথ্য দেওয়া যায়, { $kind }-কে নয়।
consent-reason-emergency_lapsed = { $category }: { $on } তারিখে ঘোষিত জরুরি অবস্থা { $disclosure } শুধু { $hours } ঘণ্টার জন্য তথ্য দেওয়ার অনুমতি দেয়।
consent-reason-unknown_age = অজানা
