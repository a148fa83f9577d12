//! referral
