//! Classification (SPEC §1.1, §1.4, §2.1): is a record personal information,
//! and if so, under which one kind is it counted.

use serde::Serialize;

use crate::detect::{Evidence, RecordFacts};
use crate::model::Kind;

/// `travel`: flight / rail / ride-hailing booking records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Travel {
    /// Tier B (the Hainan appeal, (2019)琼97刑终222号: no real-time location).
    #[default]
    OtherSafety,
    Tracking,
}

/// `idcard`: resident-ID-card information (Guiding Case 193).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdCard {
    /// name + ID number + address, or an ID-card / face image → other_safety.
    #[default]
    Strict,
    /// name + ID number is enough.
    Broad,
}

/// `bare_phone`: a record that is nothing but a phone number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BarePhone {
    /// Not PI; tallied as `bare`.
    #[default]
    Exclude,
    /// Counted as `general`.
    Count,
}

/// `track_unit`: what one item of tracking information is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackUnit {
    /// Each location record.
    #[default]
    Point,
    /// Each distinct tracked person.
    Person,
}

/// The policies of SPEC §1.4 in force for a scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Policies {
    pub travel: Travel,
    pub idcard: IdCard,
    pub bare_phone: BarePhone,
    pub track_unit: TrackUnit,
}

/// A `--policy NAME=VALUE` that names no policy or no value of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("policy {name}: unknown value {value:?} ({allowed})")]
    Value {
        name: String,
        value: String,
        allowed: &'static str,
    },
    #[error("unknown policy {0:?} (one of {names})", names = Policies::NAMES.join(", "))]
    Name(String),
}

/// The policies that move records between kinds (track_unit moves counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Policy {
    Travel,
    IdCard,
    BarePhone,
}

impl Policies {
    pub const NAMES: [&'static str; 4] = ["travel", "idcard", "bare_phone", "track_unit"];

    /// Applies `NAME=VALUE`.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), PolicyError> {
        let bad = |allowed| PolicyError::Value {
            name: name.to_string(),
            value: value.to_string(),
            allowed,
        };
        match name {
            "travel" => {
                self.travel = match value {
                    "other_safety" => Travel::OtherSafety,
                    "tracking" => Travel::Tracking,
                    _ => return Err(bad("other_safety | tracking")),
                }
            }
            "idcard" => {
                self.idcard = match value {
                    "strict" => IdCard::Strict,
                    "broad" => IdCard::Broad,
                    _ => return Err(bad("strict | broad")),
                }
            }
            "bare_phone" => {
                self.bare_phone = match value {
                    "exclude" => BarePhone::Exclude,
                    "count" => BarePhone::Count,
                    _ => return Err(bad("exclude | count")),
                }
            }
            "track_unit" => {
                self.track_unit = match value {
                    "point" => TrackUnit::Point,
                    "person" => TrackUnit::Person,
                    _ => return Err(bad("point | person")),
                }
            }
            _ => return Err(PolicyError::Name(name.to_string())),
        }
        Ok(())
    }
}

/// What one record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not personal information.
    NotPi,
    /// Identified only by masked values (Interp-2017 Art. 3): not PI.
    Masked,
    /// Nothing but a phone number, excluded by `bare_phone=exclude`.
    Bare,
    Pi(PiRecord),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PiRecord {
    pub kind: Kind,
    /// Holds strong identifiers and every one of them fails validation.
    pub invalid: bool,
    /// Other kinds whose evidence the record also carries (bit per kind).
    pub also: u16,
    /// The policy whose rule put the record where it is, if any.
    pub moved_by: Option<Policy>,
}

const KIND_BITS: u16 = (1 << Kind::COUNT) - 1;

pub fn classify(f: &RecordFacts, p: &Policies) -> Outcome {
    let strong = f.strong();
    let anything_else = f.has_name || f.other_attrs > 0 || f.evidence != 0;
    let bare = strong > 0 && f.phones == strong && !anything_else;
    let is_pi = strong > 0 || (f.has_name && (f.other_attrs > 0 || f.evidence != 0));
    if bare && p.bare_phone == BarePhone::Exclude {
        return Outcome::Bare;
    }
    if !is_pi {
        return if f.masked > 0 {
            Outcome::Masked
        } else {
            Outcome::NotPi
        };
    }

    let mut bits = f.evidence & KIND_BITS;
    let mut policy_bits: [(Policy, u16); 2] = [(Policy::Travel, 0), (Policy::IdCard, 0)];
    if f.evidence & Evidence::Travel.bit() != 0 {
        policy_bits[0].1 = Evidence::Kind(match p.travel {
            Travel::OtherSafety => Kind::OtherSafety,
            Travel::Tracking => Kind::Tracking,
        })
        .bit();
    }
    if f.evidence & (Evidence::Face.bit() | Evidence::IdCardImage.bit()) != 0 {
        bits |= Evidence::Kind(Kind::OtherSafety).bit();
    }
    let id_card_info = f.has_name
        && f.has_resident_id
        && (f.has_address
            || p.idcard == IdCard::Broad
            || f.evidence & Evidence::IdCardImage.bit() != 0);
    if id_card_info {
        policy_bits[1].1 = Evidence::Kind(Kind::OtherSafety).bit();
    }
    if f.evidence & Evidence::Credential.bit() != 0 && f.has_bank_card {
        bits |= Evidence::Kind(Kind::Property).bit();
    }
    let all = policy_bits.iter().fold(bits, |acc, (_, b)| acc | b);
    let kind = Kind::ALL
        .into_iter()
        .find(|k| all & (1 << k.index()) != 0)
        .unwrap_or(Kind::General);
    let kind_bit = 1u16 << kind.index();
    // A policy moved the record when its rule alone put it in this kind.
    let moved_by = if bare {
        Some(Policy::BarePhone)
    } else if bits & kind_bit != 0 {
        None
    } else {
        policy_bits
            .iter()
            .find(|(_, b)| b & kind_bit != 0)
            .map(|(policy, _)| *policy)
    };
    Outcome::Pi(PiRecord {
        kind,
        invalid: strong > 0 && f.strong_valid == 0,
        also: all & KIND_BITS & !kind_bit,
        moved_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> RecordFacts {
        RecordFacts::default()
    }

    fn pi(o: Outcome) -> PiRecord {
        match o {
            Outcome::Pi(r) => r,
            other => panic!("expected PI, got {other:?}"),
        }
    }

    fn ev(k: Kind) -> u16 {
        Evidence::Kind(k).bit()
    }

    #[test]
    fn the_pi_rule() {
        let p = Policies::default();
        // one strong identifier, valid or not
        let f = RecordFacts {
            strong_invalid: 1,
            ..facts()
        };
        assert_eq!(pi(classify(&f, &p)).kind, Kind::General);
        assert!(pi(classify(&f, &p)).invalid);
        // a bare name is not PI; a name with one attribute is
        let f = RecordFacts {
            has_name: true,
            ..facts()
        };
        assert_eq!(classify(&f, &p), Outcome::NotPi);
        let f = RecordFacts {
            has_name: true,
            other_attrs: 1,
            ..facts()
        };
        assert!(!pi(classify(&f, &p)).invalid);
        // a bare city is not PI
        let f = RecordFacts {
            other_attrs: 1,
            ..facts()
        };
        assert_eq!(classify(&f, &p), Outcome::NotPi);
        // name + kind evidence is PI of that kind
        let f = RecordFacts {
            has_name: true,
            evidence: ev(Kind::Health),
            ..facts()
        };
        assert_eq!(pi(classify(&f, &p)).kind, Kind::Health);
    }

    #[test]
    fn masked_only_is_not_pi() {
        let p = Policies::default();
        let f = RecordFacts {
            masked: 2,
            has_name: true,
            ..facts()
        };
        assert_eq!(classify(&f, &p), Outcome::Masked);
        let f = RecordFacts {
            masked: 1,
            has_name: true,
            other_attrs: 1,
            has_address: true,
            ..facts()
        };
        let r = pi(classify(&f, &p));
        assert_eq!((r.kind, r.invalid), (Kind::General, false));
    }

    #[test]
    fn bare_phone_policy() {
        let mut p = Policies::default();
        let f = RecordFacts {
            strong_valid: 1,
            phones: 1,
            ..facts()
        };
        assert_eq!(classify(&f, &p), Outcome::Bare);
        let f2 = RecordFacts {
            strong_valid: 2,
            phones: 2,
            ..facts()
        };
        assert_eq!(classify(&f2, &p), Outcome::Bare);
        p.set("bare_phone", "count").unwrap();
        let r = pi(classify(&f, &p));
        assert_eq!(
            (r.kind, r.moved_by),
            (Kind::General, Some(Policy::BarePhone))
        );
        // a phone with anything else is never bare
        let p = Policies::default();
        let f = RecordFacts {
            strong_valid: 1,
            phones: 1,
            evidence: ev(Kind::CommRecords),
            ..facts()
        };
        assert_eq!(pi(classify(&f, &p)).kind, Kind::CommRecords);
    }

    #[test]
    fn precedence_tier_a_before_b_before_c() {
        let p = Policies::default();
        let f = RecordFacts {
            strong_valid: 1,
            evidence: ev(Kind::Health) | ev(Kind::Credit) | ev(Kind::Transaction),
            ..facts()
        };
        let r = pi(classify(&f, &p));
        assert_eq!(r.kind, Kind::Credit);
        assert_eq!(r.also, ev(Kind::Health) | ev(Kind::Transaction));
        let f = RecordFacts {
            strong_valid: 1,
            evidence: ev(Kind::Tracking) | ev(Kind::Property),
            ..facts()
        };
        assert_eq!(pi(classify(&f, &p)).kind, Kind::Tracking);
    }

    #[test]
    fn travel_policy() {
        let mut p = Policies::default();
        let f = RecordFacts {
            strong_valid: 1,
            has_name: true,
            evidence: Evidence::Travel.bit(),
            ..facts()
        };
        let r = pi(classify(&f, &p));
        assert_eq!(
            (r.kind, r.moved_by),
            (Kind::OtherSafety, Some(Policy::Travel))
        );
        p.set("travel", "tracking").unwrap();
        let r = pi(classify(&f, &p));
        assert_eq!((r.kind, r.moved_by), (Kind::Tracking, Some(Policy::Travel)));
        // travel + accommodation: accommodation comes first inside tier B
        let p = Policies::default();
        let f = RecordFacts {
            strong_valid: 1,
            evidence: Evidence::Travel.bit() | ev(Kind::Accommodation),
            ..facts()
        };
        let r = pi(classify(&f, &p));
        assert_eq!((r.kind, r.moved_by), (Kind::Accommodation, None));
    }

    #[test]
    fn idcard_policy() {
        let mut p = Policies::default();
        let base = RecordFacts {
            strong_valid: 1,
            has_name: true,
            has_resident_id: true,
            ..facts()
        };
        assert_eq!(pi(classify(&base, &p)).kind, Kind::General);
        let with_addr = RecordFacts {
            has_address: true,
            other_attrs: 1,
            ..base.clone()
        };
        let r = pi(classify(&with_addr, &p));
        assert_eq!(
            (r.kind, r.moved_by),
            (Kind::OtherSafety, Some(Policy::IdCard))
        );
        p.set("idcard", "broad").unwrap();
        assert_eq!(pi(classify(&base, &p)).kind, Kind::OtherSafety);
        let face = RecordFacts {
            strong_valid: 1,
            evidence: Evidence::Face.bit(),
            ..facts()
        };
        assert_eq!(
            pi(classify(&face, &Policies::default())).kind,
            Kind::OtherSafety
        );
    }

    #[test]
    fn bank_card_with_password_is_property() {
        let p = Policies::default();
        let f = RecordFacts {
            strong_valid: 1,
            has_bank_card: true,
            evidence: Evidence::Credential.bit(),
            ..facts()
        };
        assert_eq!(pi(classify(&f, &p)).kind, Kind::Property);
        let f = RecordFacts {
            strong_valid: 1,
            evidence: Evidence::Credential.bit(),
            ..facts()
        };
        assert_eq!(pi(classify(&f, &p)).kind, Kind::General);
    }

    #[test]
    fn policy_values_are_checked() {
        let mut p = Policies::default();
        assert!(p.set("travel", "flying").is_err());
        assert!(p.set("speed", "fast").is_err());
        p.set("track_unit", "person").unwrap();
        assert_eq!(p.track_unit, TrackUnit::Person);
    }
}
