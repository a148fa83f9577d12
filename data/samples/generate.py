#!/usr/bin/env python3
"""Writes the bundled SYNTHETIC sample data: directory.json, cases.json and consents.json.

Everything here is invented by the Beside developers for walkthroughs and tests. Organisation
names are fictional; place names and approximate coordinates are real so that distances and
administrative areas behave as they would in the field. Capacities, fees and languages are
plausible, not measured. Run `python3 data/samples/generate.py` to regenerate (deterministic).
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261122)

# (country, division/province, district, [(upazila/khan, lat, lon)])
BD_DISTRICTS = [
    ("Khulna", "Jashore", [("Jashore Sadar", 23.1664, 89.2081), ("Jhikargacha", 23.1000, 89.1000),
                           ("Sharsha", 23.0650, 88.9600), ("Chaugachha", 23.2600, 89.0300)]),
    ("Khulna", "Satkhira", [("Satkhira Sadar", 22.7185, 89.0705), ("Kalaroa", 22.8700, 89.0400),
                            ("Shyamnagar", 22.3300, 89.1000)]),
    ("Chattogram", "Cox's Bazar", [("Cox's Bazar Sadar", 21.4272, 92.0058), ("Teknaf", 20.8600, 92.3000),
                                   ("Ukhia", 21.2800, 92.1000)]),
    ("Dhaka", "Dhaka", [("Mirpur", 23.8223, 90.3654), ("Tejgaon", 23.7639, 90.3889),
                        ("Savar", 23.8583, 90.2667)]),
]
KH_PROVINCES = [
    ("Banteay Meanchey", [("Serei Saophoan", 13.5859, 102.9737), ("Poipet", 13.6590, 102.5650),
                          ("Mongkol Borei", 13.5430, 103.0040)]),
    ("Phnom Penh", [("Chamkar Mon", 11.5450, 104.9230), ("Daun Penh", 11.5700, 104.9200),
                    ("Sen Sok", 11.5950, 104.8700)]),
]

orgs, services, locations = [], [], []


def jitter(x):
    return round(x + rng.uniform(-0.02, 0.02), 4)


def add_org(oid, name, kind, area, coords, svc_specs, survivor_led=False, description=None):
    org = {"id": oid, "name": name, "kind": kind}
    if survivor_led:
        org["survivor_led"] = True
    if description:
        org["description"] = description
    orgs.append(org)
    lid = oid.replace("org-", "loc-")
    locations.append({"id": lid, "organization_id": oid, "name": name + " office", "area": area,
                      "coordinates": {"latitude": jitter(coords[0]), "longitude": jitter(coords[1])}})
    for i, spec in enumerate(svc_specs, start=1):
        svc = {"id": oid.replace("org-", "svc-") + f"-{i}", "organization_id": oid,
               "location_ids": [lid]}
        svc.update(spec)
        svc.setdefault("status", "active")
        svc.setdefault("cost", {"kind": "free"})
        services.append(svc)


def district_area(country, region, district, sub=None):
    path = [country, region] + ([district] if district else [])
    return path + ([sub] if sub else [])


def bangladesh():
    for div, dist, subs in BD_DISTRICTS:
        code = {"Jashore": "jsr", "Satkhira": "skh", "Cox's Bazar": "cxb", "Dhaka": "dhk"}[dist]
        dist_area = ["BD", div, dist]
        def sub(i):
            s = subs[i % len(subs)]
            return ["BD", div, dist, s[0]], (s[1], s[2])
        bn = ["bn"]
        a, c = sub(0)
        add_org(f"org-bd-{code}-gov-01", f"{dist} District Social Services Office", "government", a, c, [
            {"name": "Victim identification and case support", "domains": ["documents"],
             "languages": bn + ["en"], "service_areas": [dist_area], "capacity": rng.randint(8, 25)},
            {"name": "Emergency cash and food support", "domains": ["emergency_funds", "food"],
             "languages": bn, "service_areas": [dist_area], "capacity": rng.randint(5, 30),
             "eligibility": {"requires_formal_identification": True}},
        ])
        add_org(f"org-bd-{code}-pol-01", f"{dist} Police Anti-Trafficking Desk", "police", a, c, [
            {"name": "Protection and complaint registration", "domains": ["safety", "legal"],
             "languages": bn, "service_areas": [dist_area]},
        ])
        add_org(f"org-bd-{code}-crt-01", f"{dist} Anti-Trafficking Tribunal", "court", a, c, [
            {"name": "Trafficking case hearings", "domains": ["legal"], "languages": bn,
             "service_areas": [dist_area], "eligibility": {"requires_formal_identification": True}},
        ])
        add_org(f"org-bd-{code}-gov-02", f"{dist} Government Safe Home", "government", a, c, [
            {"name": "Safe home (court order required)", "domains": ["shelter", "food", "basic_items"],
             "languages": bn, "capacity": rng.choice([0, 3, 12, 25]), "requires_court_order": True,
             "female_staff": True, "service_areas": [["BD", div]],
             "eligibility": {"genders": ["female"], "requires_formal_identification": True}},
        ])
        a1, c1 = sub(1)
        add_org(f"org-bd-{code}-hlt-01", f"{subs[1][0]} Upazila Health Complex", "health", a1, c1, [
            {"name": "Primary care and injury treatment", "domains": ["physical_health"],
             "languages": bn, "service_areas": [dist_area], "female_staff": True},
        ])
        add_org(f"org-bd-{code}-hlt-02", f"{dist} Mind Care Clinic", "health", a, c, [
            {"name": "Counselling and psychiatric care", "domains": ["mental_health"],
             "languages": bn + ["en"], "cost": {"kind": "fee", "amount": 50000, "currency": "BDT"},
             "trauma_informed": True, "capacity": rng.randint(2, 10)},
        ])
        add_org(f"org-bd-{code}-ngo-01", f"{dist} Nirapad Women's Shelter", "ngo", a, c, [
            {"name": "Short-stay shelter", "domains": ["shelter", "food", "basic_items"], "languages": bn,
             "capacity": rng.choice([0, 2, 5, 8]), "female_staff": True, "trauma_informed": True,
             "requires_referral_letter": True, "respond_within_minutes": 24 * 60,
             "eligibility": {"genders": ["female"], "min_age": 12}},
            {"name": "Psychosocial counselling", "domains": ["mental_health"], "languages": bn,
             "capacity": rng.randint(3, 15), "female_staff": True, "trauma_informed": True,
             "service_areas": [dist_area]},
        ])
        add_org(f"org-bd-{code}-ngo-02", f"{dist} Adhikar Legal Aid", "ngo", a, c, [
            {"name": "Legal aid and court accompaniment", "domains": ["legal", "safety"],
             "languages": bn + ["en"], "capacity": rng.randint(2, 12), "service_areas": [["BD", div]],
             "respond_within_minutes": 2 * 24 * 60},
            {"name": "Documents: NID and birth registration", "domains": ["documents"], "languages": bn,
             "service_areas": [dist_area]},
        ])
        a2, c2 = sub(2)
        add_org(f"org-bd-{code}-ngo-03", f"{dist} Swapno Skills Centre", "ngo", a2, c2, [
            {"name": "Tailoring and small business training", "domains": ["education", "livelihood"],
             "languages": bn, "capacity": rng.randint(4, 20), "female_staff": True,
             "cost": {"kind": "fee", "amount": 100000, "currency": "BDT"} if code == "dhk" else {"kind": "free"},
             "eligibility": {"min_age": 16}, "service_areas": [dist_area]},
            {"name": "Day care for trainees' children", "domains": ["childcare"], "languages": bn,
             "capacity": rng.randint(0, 6)},
        ])
        add_org(f"org-bd-{code}-ngo-04", f"{dist} Sanchay Savings and Loans", "ngo", a, c, [
            {"name": "Debt counselling and interest-free loans", "domains": ["debt", "emergency_funds"],
             "languages": bn, "capacity": rng.randint(3, 10), "service_areas": [dist_area],
             "status": "inactive" if code == "skh" else "active"},
        ])
        add_org(f"org-bd-{code}-slg-01", f"{dist} Survivors' Alliance (Sangram)", "survivor_led", a1, c1, [
            {"name": "Home visits and peer support", "domains": ["peer_support", "family", "community", "mental_health"],
             "languages": bn, "outreach": True, "female_staff": True, "trauma_informed": True,
             "service_areas": [dist_area]},
            {"name": "Accompaniment to services", "domains": ["documents", "physical_health", "legal"],
             "languages": bn, "outreach": True, "service_areas": [dist_area]},
        ], survivor_led=True, description="Survivor-led group; members reach returnees at home.")
        add_org(f"org-bd-{code}-com-01", f"{subs[2][0]} Union Women's Committee", "community", a2, c2, [
            {"name": "Family mediation and community acceptance", "domains": ["family", "community"],
             "languages": bn, "outreach": True, "female_staff": True, "service_areas": [a2]},
        ])
        add_org(f"org-bd-{code}-rel-01", f"{dist} Central Mosque Welfare Committee", "religious", a, c, [
            {"name": "Food and clothing distribution", "domains": ["food", "basic_items"], "languages": bn,
             "service_areas": [dist_area]},
        ])
        add_org(f"org-bd-{code}-emp-01", f"{dist} Shonali Garments", "employer", a2, c2, [
            {"name": "Entry-level jobs with on-the-job training", "domains": ["livelihood"], "languages": bn,
             "capacity": rng.randint(0, 15), "eligibility": {"min_age": 18}},
        ])
    # Rohingya-speaking services in Cox's Bazar.
    add_org("org-bd-cxb-io-01", "Coastal Migration Support (international)", "international_organization",
            ["BD", "Chattogram", "Cox's Bazar", "Ukhia"], (21.28, 92.10), [
        {"name": "Return and reintegration assistance", "domains": ["emergency_funds", "documents", "livelihood"],
         "languages": ["bn", "en", "rhg"], "interpretation_available": True, "capacity": 30,
         "service_areas": [["BD", "Chattogram", "Cox's Bazar"]]},
    ])
    # Informal provider: a family member registered as a support contact.
    add_org("org-bd-jsr-fam-01", "Aunt in Jhikargacha (informal host)", "family_informal",
            ["BD", "Khulna", "Jashore", "Jhikargacha"], (23.10, 89.10), [
        {"name": "Temporary room and meals with family", "domains": ["shelter", "food"], "languages": ["bn"],
         "capacity": 1, "female_staff": True, "service_areas": [["BD", "Khulna", "Jashore", "Jhikargacha"]]},
    ])


def cambodia():
    for prov, subs in KH_PROVINCES:
        code = {"Banteay Meanchey": "btm", "Phnom Penh": "pnh"}[prov]
        prov_area = ["KH", prov]
        def sub(i):
            s = subs[i % len(subs)]
            return ["KH", prov, s[0]], (s[1], s[2])
        km = ["km"]
        a, c = sub(0)
        add_org(f"org-kh-{code}-gov-01", f"{prov} Department of Social Affairs", "government", a, c, [
            {"name": "Victim identification and reintegration support", "domains": ["documents", "emergency_funds"],
             "languages": km, "service_areas": [prov_area], "capacity": rng.randint(5, 20)},
        ])
        add_org(f"org-kh-{code}-pol-01", f"{prov} Anti-Human Trafficking Police", "police", a, c, [
            {"name": "Protection and complaints", "domains": ["safety", "legal"], "languages": km,
             "service_areas": [prov_area]},
        ])
        add_org(f"org-kh-{code}-crt-01", f"{prov} Provincial Court", "court", a, c, [
            {"name": "Trafficking case hearings", "domains": ["legal"], "languages": km,
             "service_areas": [prov_area]},
        ])
        a1, c1 = sub(1)
        add_org(f"org-kh-{code}-hlt-01", f"{subs[1][0]} Referral Hospital", "health", a1, c1, [
            {"name": "Primary care and injury treatment", "domains": ["physical_health"], "languages": km,
             "service_areas": [prov_area],
             "cost": {"kind": "fee", "amount": 20000, "currency": "KHR"}},
        ])
        add_org(f"org-kh-{code}-ngo-01", f"{prov} Sok Sabay Recovery Centre", "ngo", a, c, [
            {"name": "Residential recovery and counselling", "domains": ["shelter", "mental_health", "food"],
             "languages": km + ["en"], "capacity": rng.choice([0, 4, 10]), "female_staff": True,
             "trauma_informed": True, "requires_referral_letter": True,
             "eligibility": {"genders": ["female"]}},
        ])
        add_org(f"org-kh-{code}-ngo-02", f"{prov} Yutethor Legal Aid", "ngo", a, c, [
            {"name": "Legal representation for survivors", "domains": ["legal", "documents"],
             "languages": km + ["en"], "capacity": rng.randint(2, 8), "service_areas": [prov_area]},
        ])
        a2, c2 = sub(2)
        add_org(f"org-kh-{code}-ngo-03", f"{prov} Kampeak Vocational School", "ngo", a2, c2, [
            {"name": "Vocational training: beauty, mechanics, cooking", "domains": ["education", "livelihood"],
             "languages": km, "capacity": rng.randint(3, 15), "eligibility": {"min_age": 15},
             "service_areas": [prov_area]},
        ])
        add_org(f"org-kh-{code}-slg-01", f"{prov} Survivor Network (Sangkhum)", "survivor_led", a1, c1, [
            {"name": "Peer support circles and home visits", "domains": ["peer_support", "community", "family"],
             "languages": km, "outreach": True, "trauma_informed": True, "service_areas": [prov_area]},
        ], survivor_led=True)
        add_org(f"org-kh-{code}-rel-01", f"{subs[2][0]} Pagoda Committee", "religious", a2, c2, [
            {"name": "Food, shelter for a few nights, blessing ceremony", "domains": ["food", "shelter", "community"],
             "languages": km, "capacity": rng.randint(1, 4), "service_areas": [a2]},
        ])
        add_org(f"org-kh-{code}-emp-01", f"{prov} Angkor Handicrafts", "employer", a2, c2, [
            {"name": "Handicraft production jobs", "domains": ["livelihood"], "languages": km,
             "capacity": rng.randint(0, 10), "eligibility": {"min_age": 18},
             "status": "inactive" if code == "btm" else "active"},
        ])
    add_org("org-kh-btm-io-01", "Poipet Transit and Reception Centre", "government",
            ["KH", "Banteay Meanchey", "Poipet"], (13.659, 102.565), [
        {"name": "Reception of returnees from Thailand", "domains": ["food", "shelter", "documents", "physical_health"],
         "languages": ["km", "th", "en"], "interpretation_available": True, "capacity": 40,
         "service_areas": [["KH"]]},
    ])
    add_org("org-kh-pnh-mfi-01", "Phnom Penh Fair Credit Microfinance", "ngo",
            ["KH", "Phnom Penh", "Daun Penh"], (11.57, 104.92), [
        {"name": "Debt restructuring and savings groups", "domains": ["debt", "emergency_funds"],
         "languages": ["km"], "capacity": 12, "eligibility": {"min_age": 18}, "service_areas": [["KH"]]},
    ])


bangladesh()
cambodia()


def confidential(lid, address, disclosed_to):
    """Marks a location confidential (a shelter for people escaping traffickers): its street
    address and coordinates are shown only to its own organisation and to `disclosed_to`. Done
    after every random draw, so the rest of the data stays as it was."""
    loc = next(l for l in locations if l["id"] == lid)
    coords = loc.pop("coordinates")
    loc["address"] = address
    loc["coordinates"] = coords
    loc["confidential"] = {"disclosed_to": disclosed_to}


# The women's shelter in Jashore keeps its address secret; the district social services office,
# which refers women to it, is entitled to it.
confidential("loc-bd-jsr-ngo-01", "House 14, Road 3, Upashahar", ["org-bd-jsr-gov-01"])
directory = {"organizations": orgs, "services": services, "locations": locations}

CASES = [
    dict(case_id="case-01", person=dict(id="person-01", birth=dict(kind="date_of_birth", date="2001-04-12"),
         gender="female", languages=["bn"], nationality="BD"), opened_on="2025-02-03",
         home_area=["BD", "Khulna", "Jashore", "Jhikargacha"], home_coordinates=dict(latitude=23.095, longitude=89.11),
         travel_limit_km=40.0,
         return_journey=dict(returned_on="2025-01-20", route="own_way", from_country="IN"), family="mixed",
         debts=[dict(creditor="broker", amount=8000000, currency="BDT")],
         summary="Woman, 23 at return. Came back from India on her own; her family took her in but "
                 "neighbours talk. Owes a broker for the journey. Met a survivor group at home."),
    dict(case_id="case-02", person=dict(id="person-02", birth=dict(kind="date_of_birth", date="1994-09-02"),
         gender="male", languages=["bn"], nationality="BD"), opened_on="2025-05-14",
         home_area=["BD", "Khulna", "Satkhira", "Kalaroa"], home_coordinates=dict(latitude=22.87, longitude=89.05),
         travel_limit_km=60.0,
         return_journey=dict(returned_on="2025-05-02", route="formal", from_country="MY"), family="supportive",
         debts=[dict(creditor="moneylender", amount=25000000, currency="BDT"), dict(creditor="family")],
         summary="Man, 30. Repatriated from forced labour in Malaysia. Supportive family; heavy debt "
                 "to a moneylender for the recruitment fee."),
    dict(case_id="case-03", person=dict(id="person-03", birth=dict(kind="date_of_birth", date="2011-01-25"),
         gender="female", languages=["bn"], nationality="BD"), opened_on="2025-08-10",
         home_area=["BD", "Khulna", "Jashore", "Sharsha"], home_coordinates=dict(latitude=23.07, longitude=88.97),
         travel_limit_km=20.0,
         return_journey=dict(returned_on="2025-07-28", route="formal", from_country="IN"), family="supportive",
         guardians=[dict(person_id="person-03-mother", relationship="mother")],
         summary="Girl, 14. Formally repatriated from India through the Benapole border. Her mother is "
                 "her guardian and supports her; she wants to go back to school."),
    dict(case_id="case-04", person=dict(id="person-04", birth=dict(kind="approximate_age", years=16, recorded_on="2025-10-01"),
         gender="female", languages=["bn"], nationality="BD"), opened_on="2025-10-01",
         home_area=["BD", "Chattogram", "Cox's Bazar", "Teknaf"],
         return_journey=dict(returned_on="2025-09-20", route="formal", from_country="MY"), family="rejecting",
         guardians=[dict(person_id="person-04-uncle", relationship="uncle", implicated_in_harm=True)],
         summary="Girl, about 16. Intercepted on a boat to Malaysia. Her uncle, her guardian, arranged "
                 "the journey with a broker: he cannot consent for her."),
    dict(case_id="case-05", person=dict(id="person-05", birth=dict(kind="approximate_age", years=28, recorded_on="2025-03-15"),
         gender="female", languages=["rhg"]), opened_on="2025-03-15",
         home_area=["BD", "Chattogram", "Cox's Bazar", "Ukhia"], home_coordinates=dict(latitude=21.23, longitude=92.14),
         travel_limit_km=15.0,
         return_journey=dict(returned_on="2025-03-01", route="own_way", from_country="MY"), family="rejecting",
         summary="Woman, about 28, Rohingya, stateless. Returned on her own after exploitation in Malaysia. "
                 "Speaks Rohingya only; her family blames her."),
    dict(case_id="case-06", person=dict(id="person-06", birth=dict(kind="date_of_birth", date="1987-06-30"),
         gender="female", languages=["bn", "ar"], nationality="BD"), opened_on="2025-11-05",
         home_area=["BD", "Dhaka", "Dhaka", "Mirpur"], home_coordinates=dict(latitude=23.82, longitude=90.36),
         travel_limit_km=25.0,
         return_journey=dict(returned_on="2025-10-28", route="formal", from_country="SA"), family="rejecting",
         debts=[dict(creditor="microfinance", amount=15000000, currency="BDT")],
         summary="Woman, 38. Returned from domestic servitude in Saudi Arabia with an untreated arm injury. "
                 "Her husband's family rejects her; she owes a microfinance institution."),
    dict(case_id="case-07", person=dict(id="person-07", birth=dict(kind="date_of_birth", date="2006-02-14"),
         gender="male", languages=["bn"], nationality="BD"), opened_on="2025-06-20",
         home_area=["BD", "Khulna", "Satkhira", "Shyamnagar"], home_coordinates=dict(latitude=22.33, longitude=89.10),
         travel_limit_km=50.0,
         return_journey=dict(returned_on="2025-06-01", route="own_way", from_country="IN"), family="supportive",
         debts=[dict(creditor="broker", amount=3000000, currency="BDT")],
         summary="Young man, 19. Came back on his own from bonded labour in India. A broker is in touch "
                 "again about work abroad; he says he may go."),
    dict(case_id="case-08", person=dict(id="person-08", birth=dict(kind="date_of_birth", date="2012-05-19"),
         gender="male", languages=["bn"], nationality="BD"), opened_on="2025-09-02",
         home_area=["BD", "Khulna", "Jashore", "Jashore Sadar"], home_coordinates=dict(latitude=23.17, longitude=89.21),
         travel_limit_km=15.0,
         return_journey=dict(returned_on="2025-08-25", route="formal", from_country="IN"), family="supportive",
         guardians=[dict(person_id="person-08-mother", relationship="mother"),
                    dict(person_id="person-08-father", relationship="father")],
         summary="Boy, 13. Repatriated from a workshop in India. Both parents are his guardians and "
                 "welcome him home."),
    dict(case_id="case-09", person=dict(id="person-09", birth=dict(kind="date_of_birth", date="1998-11-11"),
         gender="third_gender", languages=["bn", "hi"], nationality="BD"), opened_on="2025-04-18",
         home_area=["BD", "Dhaka", "Dhaka", "Tejgaon"], home_coordinates=dict(latitude=23.76, longitude=90.39),
         travel_limit_km=20.0,
         return_journey=dict(returned_on="2025-04-01", route="own_way", from_country="IN"), family="no_contact",
         summary="Hijra person, 26. Returned from India on their own; no contact with family. Many "
                 "services serve women only."),
    dict(case_id="case-10", person=dict(id="person-10", birth=dict(kind="date_of_birth", date="2003-03-03"),
         gender="female", languages=["km", "th"], nationality="KH"), opened_on="2025-07-07",
         home_area=["KH", "Banteay Meanchey", "Poipet"], home_coordinates=dict(latitude=13.66, longitude=102.57),
         travel_limit_km=30.0,
         return_journey=dict(returned_on="2025-06-30", route="own_way", from_country="TH"), family="supportive",
         debts=[dict(creditor="broker", amount=2000000, currency="KHR")],
         summary="Woman, 22. Walked back across the border from Thailand. Supportive family; owes the "
                 "broker who arranged the job."),
    dict(case_id="case-11", person=dict(id="person-11", birth=dict(kind="date_of_birth", date="1991-08-21"),
         gender="male", languages=["km"], nationality="KH"), opened_on="2025-02-26",
         home_area=["KH", "Phnom Penh", "Sen Sok"], home_coordinates=dict(latitude=11.60, longitude=104.87),
         travel_limit_km=20.0,
         return_journey=dict(returned_on="2025-02-10", route="formal", from_country="ID"), family="mixed",
         debts=[dict(creditor="family", amount=4000000, currency="KHR")],
         summary="Man, 33. Rescued from a fishing boat and repatriated from Indonesia; hand injury. "
                 "Owes his brother for the journey home."),
    dict(case_id="case-12", person=dict(id="person-12", birth=dict(kind="date_of_birth", date="2008-12-05"),
         gender="female", languages=["km", "zh"], nationality="KH"), opened_on="2025-01-15",
         home_area=["KH", "Phnom Penh", "Chamkar Mon"], home_coordinates=dict(latitude=11.54, longitude=104.92),
         travel_limit_km=15.0,
         return_journey=dict(returned_on="2025-01-05", route="formal", from_country="CN"), family="supportive",
         guardians=[dict(person_id="person-12-mother", relationship="mother")],
         summary="Girl, 16 at return, 18 on 5 December 2026. Repatriated from a forced marriage in China. "
                 "Her mother consented for her: at 18 she must consent for herself."),
    dict(case_id="case-13", person=dict(id="person-13", birth=dict(kind="approximate_age", years=45, recorded_on="2025-05-05"),
         gender="female", languages=["km"], nationality="KH"), opened_on="2025-05-05",
         home_area=["KH", "Banteay Meanchey", "Serei Saophoan"],
         return_journey=dict(route="unknown"), family="no_contact",
         summary="Woman, about 45, with no identity documents. Unsure when she came back; living at a "
                 "pagoda."),
    dict(case_id="case-14", person=dict(id="person-14", birth=dict(kind="date_of_birth", date="1999-07-07"),
         gender="female", languages=["bn", "en"], nationality="BD"), opened_on="2023-03-01",
         home_area=["BD", "Khulna", "Satkhira", "Satkhira Sadar"], home_coordinates=dict(latitude=22.72, longitude=89.07),
         travel_limit_km=80.0,
         return_journey=dict(returned_on="2023-01-10", route="own_way", from_country="IN"), family="supportive",
         summary="Woman, 26. Returned in 2023; now runs a tailoring business and leads the district "
                 "survivors' group."),
]

# The calendar of each case's place: ages, majority and "today" are taken on it. Beside would
# take the same zones from the country (each has one); the samples say so, as an app should.
TIME_ZONES = {"BD": "Asia/Dhaka", "KH": "Asia/Phnom_Penh"}
for case in CASES:
    case["time_zone"] = TIME_ZONES[case["home_area"][0]]


# --- Consents -------------------------------------------------------------------------------
# Who may receive what, for which purpose, as each person (or, for a child, her guardian with her
# assent) said it. Common practice first: most people agree to a referral (`service_referral`)
# sharing who they are and how to reach them with their area's NGOs and survivor groups; the
# stories add the refusals, the expired and revoked records and the child safeguards.
ALL_PURPOSES = ["service_referral", "information_sharing", "case_coordination",
                "law_enforcement_reporting", "research_deidentified", "statistics",
                "media_storytelling", "survivor_group_follow_up"]
ALL_CATEGORIES = ["identity", "contact", "location", "trafficking_history", "health",
                  "mental_health", "legal", "photos"]


def kind(k):
    return {"scope": "kind", "kind": k}


def org(oid):
    return {"scope": "organization", "id": oid}


def by_person():
    return {"by": "person"}


def by_guardian(pid):
    return {"by": "guardian", "person_id": pid}


def seen_by(worker_id):
    return {"witness": "worker", "worker_id": worker_id}


def record(rid, case_id, purposes, recipients, categories, granted_at, method, explained_in,
           given_by=None, refusal=False, witness=None, expires_at=None, assent=None, revoked=None):
    r = {"id": rid, "case_id": case_id, "kind": "refusal" if refusal else "consent",
         "given_by": given_by or by_person(), "purposes": purposes, "recipients": recipients,
         "categories": categories, "granted_at": granted_at, "method": method,
         "explained_in": explained_in}
    if witness:
        r["witness"] = witness
    if expires_at:
        r["expires_at"] = expires_at
    if assent:
        r["assent"] = assent
    if revoked:
        r["revoked"] = revoked
    return r


CONSENTS = [
    # case-01: referral to NGOs, survivor and community groups and the health complex; never to
    # the police.
    record("consent-01-referral", "case-01", ["service_referral", "case_coordination"],
           [kind("ngo"), kind("survivor_led"), kind("community"), org("org-bd-jsr-hlt-01")], ["identity", "contact", "location", "health"],
           "2025-02-03T10:00:00Z", "thumbprint", "bn", witness=seen_by("worker-bd-jsr-01"),
           expires_at="2027-02-03T00:00:00Z"),
    record("consent-01-survivor-group", "case-01", ["survivor_group_follow_up"],
           [org("org-bd-jsr-slg-01")], ["contact", "location"], "2025-02-03T10:05:00Z", "verbal", "bn",
           witness=seen_by("worker-bd-jsr-01")),
    record("refusal-01-police", "case-01", ALL_PURPOSES, [kind("police")], ALL_CATEGORIES,
           "2025-02-03T10:10:00Z", "verbal", "bn", refusal=True, witness=seen_by("worker-bd-jsr-01")),
    # case-02: referral to NGOs and government offices; his consent to the survivor group
    # expired and needs renewing.
    record("consent-02-referral", "case-02", ["service_referral", "case_coordination"],
           [kind("ngo"), kind("government"), kind("international_organization")], ["identity", "contact"],
           "2025-05-14T08:50:00Z", "written", "bn", witness=seen_by("worker-bd-skh-01")),
    record("consent-02-legal-aid", "case-02", ["service_referral", "information_sharing"],
           [org("org-bd-skh-ngo-02")], ["identity", "contact", "trafficking_history", "legal"],
           "2025-05-14T09:00:00Z", "written", "bn"),
    record("consent-02-survivor-group", "case-02", ["survivor_group_follow_up", "service_referral"],
           [kind("survivor_led")], ["identity", "contact"], "2025-05-14T09:10:00Z", "verbal", "bn", witness=seen_by("worker-bd-skh-01"),
           expires_at="2025-11-14T00:00:00Z"),
    # case-03: her mother's consent with her assent for referral; the survivor group's follow-up
    # has her mother's consent only.
    record("consent-03-school-referral", "case-03", ["service_referral"],
           [kind("ngo"), kind("government"), kind("survivor_led")],
           ["identity", "contact", "health"], "2025-08-10T11:00:00Z", "written", "bn",
           given_by=by_guardian("person-03-mother"), witness=seen_by("worker-bd-jsr-02"),
           assent={"given_at": "2025-08-10T11:05:00Z", "method": "verbal"}),
    record("consent-03-survivor-group", "case-03", ["survivor_group_follow_up"], [kind("survivor_led")],
           ["contact"], "2025-08-10T11:10:00Z", "verbal", "bn", given_by=by_guardian("person-03-mother"),
           witness=seen_by("worker-bd-jsr-02")),
    record("refusal-03-media", "case-03", ["media_storytelling"], [{"scope": "any"}], ALL_CATEGORIES,
           "2025-08-10T11:15:00Z", "written", "bn", given_by=by_guardian("person-03-mother"), refusal=True),
    # case-04: her uncle, her guardian, is implicated; a best-interest determination names the
    # organisations that may receive her referral.
    record("consent-04-uncle", "case-04", ["service_referral", "case_coordination"], [{"scope": "any"}],
           ["identity", "contact", "location", "trafficking_history"], "2025-10-01T08:00:00Z", "written", "bn",
           given_by=by_guardian("person-04-uncle"),
           assent={"given_at": "2025-10-01T08:00:00Z", "method": "verbal"}),
    record("consent-04-best-interest", "case-04", ["service_referral", "case_coordination"],
           [org("org-bd-cxb-ngo-01"), org("org-bd-cxb-ngo-02"), org("org-bd-cxb-hlt-01"),
            org("org-bd-cxb-io-01")],
           ["identity", "contact", "health", "mental_health"], "2025-10-03T10:00:00Z", "written", "bn",
           given_by={"by": "best_interest", "determination": {
               "worker_id": "worker-bd-cxb-01", "determined_at": "2025-10-02T16:00:00Z",
               "document_ref": "BID/CXB/2025/017",
               "rationale": "The guardian (uncle) arranged the journey with the broker. Legal protection, "
                            "a shelter place, medical care and counselling are in her best interest; she was "
                            "heard and agrees."}},
           witness=seen_by("worker-bd-cxb-02"),
           assent={"given_at": "2025-10-03T10:00:00Z", "method": "verbal"}),
    record("refusal-04-family", "case-04", ALL_PURPOSES, [kind("family_informal")], ["contact", "location"],
           "2025-10-03T10:05:00Z", "written", "bn", refusal=True),
    # case-05: referral to NGOs, survivor groups, the international organisation and health
    # services; her family blames her, so never to her village's women's committee.
    record("consent-05-referral", "case-05", ["service_referral"],
           [kind("ngo"), kind("survivor_led"), kind("international_organization"), kind("health"),
            kind("community")], ["identity", "contact", "mental_health"],
           "2025-03-15T13:00:00Z", "thumbprint", "rhg",
           witness={"witness": "person", "person_id": "person-05-interpreter"}),
    record("refusal-05-village-committee", "case-05", ALL_PURPOSES, [org("org-bd-cxb-com-01")],
           ALL_CATEGORIES, "2025-03-15T13:05:00Z", "thumbprint", "rhg", refusal=True,
           witness={"witness": "person", "person_id": "person-05-interpreter"}),
    # case-06: referral to health services, NGOs, survivor groups and government offices.
    record("consent-06-health", "case-06", ["service_referral", "information_sharing"],
           [kind("health"), kind("ngo"), kind("survivor_led"), kind("government")], ["identity", "contact", "health"],
           "2025-11-05T10:00:00Z", "written", "bn"),
    # case-07: referral to NGOs and government offices; he withdrew the survivor group's
    # consent while the broker is around.
    record("consent-07-referral", "case-07", ["service_referral"], [kind("ngo"), kind("government")],
           ["identity", "contact"], "2025-06-20T10:15:00Z", "written", "bn"),
    record("consent-07-survivor-group", "case-07", ["survivor_group_follow_up", "service_referral"],
           [org("org-bd-skh-slg-01")], ["identity", "contact", "location"], "2025-06-20T10:00:00Z", "verbal",
           "bn", witness=seen_by("worker-bd-skh-01"),
           revoked={"at": "2025-09-01T09:00:00Z",
                    "reason": "He does not want the group to visit his village while the broker is around."}),
    record("consent-07-skills", "case-07", ["service_referral"], [org("org-bd-skh-ngo-03")],
           ["identity", "contact"], "2025-06-20T10:10:00Z", "written", "bn"),
    # case-08: his father's consent with his assent.
    record("consent-08-referral", "case-08", ["service_referral", "case_coordination"],
           [kind("ngo"), kind("government"), kind("health"), kind("survivor_led")], ["identity", "contact", "location", "health"],
           "2025-09-02T10:00:00Z", "written", "bn", given_by=by_guardian("person-08-father"),
           assent={"given_at": "2025-09-02T10:00:00Z", "method": "verbal"}),
    # case-09: one consent for referral (the walkthrough revokes it).
    record("consent-09-referral", "case-09", ["service_referral"],
           [kind("ngo"), kind("survivor_led"), kind("health")], ["identity", "contact"],
           "2025-04-18T12:00:00Z", "digital", "bn"),
    # case-10: referral to NGOs, survivor groups and the transit centre; never to the
    # province's police.
    record("consent-10-referral", "case-10", ["service_referral", "case_coordination"],
           [kind("ngo"), kind("survivor_led"), org("org-kh-btm-io-01")],
           ["identity", "contact", "trafficking_history", "legal"], "2025-07-07T09:00:00Z", "thumbprint", "km",
           witness=seen_by("worker-kh-btm-01")),
    record("refusal-10-police", "case-10", ALL_PURPOSES, [org("org-kh-btm-pol-01")], ALL_CATEGORIES,
           "2025-07-07T09:05:00Z", "verbal", "km", refusal=True, witness=seen_by("worker-kh-btm-01")),
    # case-11: agreed to the prosecution, and to referral to NGOs, survivor groups and
    # government offices; his consent for the hospital lapsed and needs renewing.
    record("consent-11-referral", "case-11", ["service_referral", "case_coordination"],
           [kind("ngo"), kind("survivor_led"), kind("government")], ["identity", "contact"],
           "2025-02-26T10:10:00Z", "written", "km"),
    record("consent-11-hospital", "case-11", ["service_referral"], [kind("health")],
           ["identity", "contact", "health"], "2025-02-10T08:00:00Z", "verbal", "km",
           witness=seen_by("worker-kh-pnh-01"), expires_at="2025-08-10T00:00:00Z"),
    record("consent-11-prosecution", "case-11", ["law_enforcement_reporting", "service_referral"],
           [kind("police"), kind("court"), org("org-kh-pnh-ngo-02")],
           ["identity", "contact", "trafficking_history", "legal"], "2025-02-26T10:00:00Z", "written", "km"),
    # case-12: her mother's consent with her assent; at 18 it stops counting.
    record("consent-12-referral", "case-12", ["service_referral", "case_coordination"],
           [kind("ngo"), kind("health"), kind("survivor_led")], ["identity", "contact", "health", "mental_health"],
           "2025-01-15T10:00:00Z", "written", "km", given_by=by_guardian("person-12-mother"),
           assent={"given_at": "2025-01-15T10:00:00Z", "method": "written"}),
    # case-13: no phone; she is reached through the pagoda committee.
    record("consent-13-documents", "case-13", ["service_referral"], [kind("government"), org("org-kh-btm-ngo-01")],
           ["identity", "location"], "2025-05-05T09:00:00Z", "verbal", "km",
           witness={"witness": "person", "person_id": "person-13-pagoda-committee"}),
    record("consent-13-referral", "case-13", ["service_referral"],
           [kind("ngo"), kind("survivor_led"), kind("government"), kind("religious")],
           ["identity", "contact"], "2025-05-05T09:10:00Z", "verbal", "km",
           witness={"witness": "person", "person_id": "person-13-pagoda-committee"}),
    # case-14: a survivor leader; statistics, her story, and referral like anyone else.
    record("consent-14-referral", "case-14", ["service_referral"],
           [kind("ngo"), kind("survivor_led"), kind("health")], ["identity", "contact"],
           "2025-03-08T09:50:00Z", "written", "bn"),
    record("consent-14-statistics", "case-14", ["statistics", "research_deidentified"], [{"scope": "any"}],
           ["location", "trafficking_history", "health"], "2023-03-10T10:00:00Z", "digital", "en"),
    record("consent-14-story", "case-14", ["media_storytelling"], [org("org-bd-skh-slg-01")],
           ["identity", "trafficking_history", "photos"], "2025-03-08T10:00:00Z", "written", "bn",
           expires_at="2027-03-08T00:00:00Z"),
]


def write(name, data, indent=1):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=indent)
        f.write("\n")


if __name__ == "__main__":
    write("directory.json", directory)
    write("cases.json", CASES)
    write("consents.json", CONSENTS, indent=2)
    print(f"{len(orgs)} organisations, {len(services)} services, {len(locations)} locations, {len(CASES)} cases, "
          f"{len(CONSENTS)} consent records")
