# DRAFT — Khmer (km) words of the shared vocabulary, for review by native speakers before use
# with people. Missing ids fall back to English (`locales/en/core.ftl` is the reference).

date-style = day-month-year
date-month-1 = មករា
date-month-2 = កុម្ភៈ
date-month-3 = មីនា
date-month-4 = មេសា
date-month-5 = ឧសភា
date-month-6 = មិថុនា
date-month-7 = កក្កដា
date-month-8 = សីហា
date-month-9 = កញ្ញា
date-month-10 = តុលា
date-month-11 = វិច្ឆិកា
date-month-12 = ធ្នូ

domain-basic_items = សម្លៀកបំពាក់ និងរបស់របរចាំបាច់
domain-childcare = ការថែទាំកុមារ និងអ្នកនៅក្នុងបន្ទុក
domain-community = ការទទួលយកពីសហគមន៍
domain-debt = បំណុល និងស្ថិរភាពហិរញ្ញវត្ថុ
domain-documents = ឯកសារអត្តសញ្ញាណ
domain-education = ជំនាញ និងការអប់រំ
domain-emergency_funds = មូលនិធិសង្គ្រោះបន្ទាន់
domain-family = ទំនាក់ទំនងគ្រួសារ
domain-food = អាហារ
domain-legal = ជំនួយផ្លូវច្បាប់ និងយុត្តិធម៌
domain-livelihood = ជីវភាព និងការងារ
domain-mental_health = សុខភាពផ្លូវចិត្ត
domain-peer_support = ការគាំទ្រពីអ្នកមានបទពិសោធន៍ដូចគ្នា
domain-physical_health = សុខភាពផ្លូវកាយ
domain-safety = សុវត្ថិភាពពីជនល្មើស
domain-shelter = ទីជម្រក និងលំនៅដ្ឋាន

level-in_crisis = ក្នុងវិបត្តិ
level-vulnerable = ងាយរងគ្រោះ
level-building_capacity = កំពុងកសាងសមត្ថភាព
level-safe = មានសុវត្ថិភាព
level-thriving = រីកចម្រើន

term-person = អ្នករស់រានមានជីវិត
