# Referral: the Open Referral HSDS import report — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

hsds-default-absent = HSDS field { $hsds_field } was absent or empty
hsds-default-configured = the import option { $option }
hsds-default-not_in_hsds = HSDS has no such field and no beside attribute gave it
hsds-default-safe_reading = the value could not be read; the safe reading was taken
hsds-default-truncated = cut to { $max } characters from { $got }
hsds-infer-address = country, state or province and city of the first of { $count } addresses
hsds-infer-area_name = the area named { $name } is { $area } among the directory's locations
hsds-infer-capped_at_maximum = { $available } available is more than the maximum { $maximum }; the maximum counts
hsds-infer-cost_options = { $usable } of { $count } cost options usable; the highest kept
hsds-infer-interpretation_text = the interpretation text does not say none
hsds-infer-keywords = keywords found: { $keywords }
hsds-infer-location_languages = the service has none of its own; taken from its locations { $locations }
hsds-infer-name_from = named after its { $field }
hsds-infer-organization_of_services = the organisation of the services delivered there (its own organization_id: { $dangling })
hsds-infer-requirement_without_value = the requirement { $term } is attached with no value, so it counts as required
hsds-infer-service_capacities = open places of { $count } service capacities together
hsds-infer-status_synonym = HSDS status `{ $value }` means inactive
hsds-infer-taxonomy_terms = mapped from taxonomy terms { $terms }
hsds-outcome-carried = { $field }: carried from { $from }
hsds-outcome-defaulted = { $field }: set to { $value }: { $reason }
hsds-outcome-inferred = { $field }: inferred from { $from }: { $rule }
hsds-outcome-skipped = { $field }: not carried: { $reason }
hsds-record-duplicate = { $kind } { $id } at { $path }: a repeat of the one at { $first_path }
hsds-record-imported = { $kind } { $id } at { $path }: imported
hsds-record-skipped = { $kind } { $id } at { $path }: skipped: { $reason }
hsds-skip-ambiguous_area_name = the area named { $name } matches several areas: { $candidates }
hsds-skip-capacity_conflict = says { $attribute } but service_capacity says { $service_capacity }, which was used
hsds-skip-conflicting_duplicate = differs from the copy at { $first_path }, which was kept
hsds-skip-failed_validation = failed Beside's checks: { $errors }
hsds-skip-free_text_area = the service area is described in words, not as an area
hsds-skip-invalid = invalid value ({ $reason })
hsds-skip-missing_required = required field { $field } is missing
hsds-skip-no_country = no address gives a country and no default country is set
hsds-skip-no_domain = no need domain maps (terms: { $terms }) and no fallback is set
hsds-skip-no_organization = no organisation found (it refers to { $referenced })
hsds-skip-not_modelled = Beside does not hold this HSDS field
hsds-skip-outside_directory = holds no directory records ({ $rows } rows)
hsds-skip-superseded = given more exactly by { $by }, which was used
hsds-skip-unknown_beside_code = unknown beside attribute code { $attribute_code }
hsds-skip-unknown_reference = refers to { $id }, which is not in the input
hsds-skip-unknown_unit = capacity unit { $unit } is not one that counts places ({ $known })
hsds-skip-unmapped_term = taxonomy term { $taxonomy }/{ $term } has no mapping
hsds-skip-unrecognised = not an HSDS record this importer reads ({ $kind })
