# DRAFT — Bengali (bn) words of the shared vocabulary, for review by native speakers before use
# with people. Missing ids fall back to English (`locales/en/core.ftl` is the reference).

date-style = day-month-year
date-month-1 = জানুয়ারি
date-month-2 = ফেব্রুয়ারি
date-month-3 = মার্চ
date-month-4 = এপ্রিল
date-month-5 = মে
date-month-6 = জুন
date-month-7 = জুলাই
date-month-8 = আগস্ট
date-month-9 = সেপ্টেম্বর
date-month-10 = অক্টোবর
date-month-11 = নভেম্বর
date-month-12 = ডিসেম্বর

domain-basic_items = পোশাক ও প্রয়োজনীয় জিনিসপত্র
domain-childcare = শিশুর যত্ন ও নির্ভরশীলরা
domain-community = সমাজে গ্রহণযোগ্যতা
domain-debt = ঋণ ও আর্থিক স্থিতি
domain-documents = পরিচয়পত্র ও দাপ্তরিক কাগজপত্র
domain-education = দক্ষতা ও শিক্ষা
domain-emergency_funds = জরুরি তহবিল
domain-family = পরিবারের সাথে যোগাযোগ
domain-food = খাদ্য
domain-legal = আইনি সহায়তা ও ন্যায়বিচার
domain-livelihood = জীবিকা ও কর্মসংস্থান
domain-mental_health = মানসিক স্বাস্থ্য
domain-peer_support = একই অভিজ্ঞতার মানুষের সহায়তা
domain-physical_health = শারীরিক স্বাস্থ্য
domain-safety = নির্যাতনকারীদের থেকে নিরাপত্তা
domain-shelter = আশ্রয় ও বাসস্থান

level-in_crisis = সংকটে
level-vulnerable = ঝুঁকিতে
level-building_capacity = সক্ষমতা গড়ে উঠছে
level-safe = নিরাপদ
level-thriving = সমৃদ্ধ

term-person = বেঁচে ফেরা মানুষ
