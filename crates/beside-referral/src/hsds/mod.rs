//! Import from and export to Open Referral HSDS 3.0 (JSON objects and lists, and the tabular CSV
//! package). Being written.
