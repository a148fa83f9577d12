//! Web addresses: HSDS 3.0's single `service.url` / `organization.website`, HSDS 3.1's `url`
//! objects (`additional_urls`, `additional_websites`, `urls`, tabular `url.csv`), and the
//! `beside` `urls` attribute that carries them exactly through 3.0.

use super::attrs::Attr;
use super::convert::Rec;
use super::read::{objects, text};
use super::report::{DefaultReason, SkipReason};
use crate::directory::WebLink;
use beside_core::Validate;

/// The lists of `url` objects a record may hold.
const LISTS: [&str; 3] = ["additional_urls", "additional_websites", "urls"];

fn checked(link: &WebLink) -> Result<(), SkipReason> {
    link.validate()
        .map_err(|e| SkipReason::FailedValidation { errors: e.errors })
}

/// A record's web addresses. The `beside` `urls` attribute, when it can be read, is exact and
/// wins (an address given elsewhere and not in it is reported as superseded); otherwise the
/// single field `single` comes first, then the `url` objects, an address given twice kept
/// once (with its label, when one copy has one).
pub(super) fn urls(rec: &mut Rec<'_>, attrs: &[Attr], single: &'static str) -> Vec<WebLink> {
    rec.use_key(single);
    for k in LISTS {
        rec.use_key(k);
    }
    let mut given: Vec<(String, WebLink)> = Vec::new();
    if let Some(u) = text(rec.obj, single) {
        given.push((
            single.to_owned(),
            WebLink {
                url: u.trim().to_owned(),
                label: None,
            },
        ));
    }
    for key in LISTS {
        for (i, o) in objects(rec.obj, key) {
            let path = format!("{key}[{i}]");
            match text(o, "url") {
                Some(u) => given.push((
                    path,
                    WebLink {
                        url: u.trim().to_owned(),
                        label: text(o, "label"),
                    },
                )),
                None => rec.skipped(
                    &path,
                    SkipReason::MissingRequired {
                        field: "url".into(),
                    },
                ),
            }
        }
    }
    if let Some(a) = attrs.iter().find(|a| a.beside && a.code == "urls") {
        match serde_json::from_str::<Vec<WebLink>>(&a.value) {
            Ok(exact) => match exact.iter().map(checked).find_map(Result::err) {
                None => {
                    for (path, g) in &given {
                        if !exact.iter().any(|e| e.url == g.url) {
                            rec.skipped(path, SkipReason::Superseded { by: a.path() });
                        }
                    }
                    rec.carried("urls", &a.source());
                    return exact;
                }
                Some(reason) => rec.skipped(&a.path(), reason),
            },
            Err(e) => rec.skipped(&a.path(), SkipReason::malformed(&e)),
        }
    }
    let mut out: Vec<WebLink> = Vec::new();
    let mut from: Vec<String> = Vec::new();
    for (path, link) in given {
        if let Err(reason) = checked(&link) {
            rec.skipped(&path, reason);
            continue;
        }
        match out.iter_mut().find(|o| o.url == link.url) {
            Some(o) => {
                if o.label.is_none() {
                    o.label = link.label;
                }
            }
            None => out.push(link),
        }
        from.push(path);
    }
    if out.is_empty() {
        rec.defaulted(
            "urls",
            &out,
            DefaultReason::Absent {
                hsds_field: single.into(),
            },
        );
    } else {
        rec.carried("urls", &from.join(", "));
    }
    out
}
