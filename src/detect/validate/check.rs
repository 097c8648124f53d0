//! What every validator answers and declares: [`Check`], [`Reason`],
//! [`Facet`] and the [`Validator`] trait.

use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// Outcome of validating one value that has the shape of an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The value passes every check.
    Valid,
    /// The value fails, for this reason.
    Invalid(Reason),
}

impl Check {
    /// `true` for [`Check::Valid`].
    pub fn is_valid(self) -> bool {
        matches!(self, Check::Valid)
    }

    /// `Valid` when `ok`, else `Invalid(reason)`.
    pub fn when(ok: bool, reason: Reason) -> Check {
        if ok {
            Check::Valid
        } else {
            Check::Invalid(reason)
        }
    }

    /// Only a valid value: an invalid one is no hit (value detection of
    /// shapes too common to be an attempt at the identifier).
    pub fn valid_or_none(self) -> Option<Check> {
        self.is_valid().then_some(Check::Valid)
    }
}

/// Declares [`Reason`] and the list of its variants without a value.
macro_rules! reasons {
    ($($(#[$doc:meta])* $plain:ident,)* ; $($(#[$pdoc:meta])* $param:ident($t:ty),)*) => {
        /// Why a value is not the identifier its column or its shape claims
        /// (Interp-2017 Art. 11 "untrue"). Worded, in English for the JSON and
        /// in Chinese for the case file, by `report::words::reason`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Reason {
            $($(#[$doc])* $plain,)*
            $($(#[$pdoc])* $param($t),)*
        }

        impl Reason {
            /// Every reason that carries no value.
            pub const PLAIN: &'static [Reason] = &[$(Reason::$plain),*];
        }
    };
}

reasons! {
    /// A record's identifier failed, reason unknown (no identifier said why).
    IdentifierFailed,
    /// A value under a `regex` detector's header that the regex rejects.
    Pattern,
    /// Not in the format of the identifier (shared by validators that need
    /// no wording of their own).
    Format,
    /// The check character is wrong (shared likewise).
    CheckCharacter,
    NotResidentId,
    BirthDateInvalid,
    BirthBefore1900,
    BirthInFuture,
    ResidentIdCheck,
    /// An 18-digit ID a spreadsheet turned into a floating-point number: its
    /// last digits are gone.
    ResidentIdMangled,
    NotMobile,
    EmailDomainEmpty,
    EmailDomainNoDot,
    EmailDomainLabel,
    EmailTopLevelDomain,
    EmailTooLong,
    EmailAt,
    EmailLocalLength,
    EmailLocalCharacter,
    EmailLocalDots,
    NotCard,
    CardLength,
    CardIssuer,
    CardLuhn,
    NotPassport,
    NotHkMacauPermit,
    NotTaiwanPermit,
    NotQq,
    NotWechat,
    WeiboEmpty,
    WeiboWhitespace,
    WeiboControl,
    NotImei,
    ImeiAllZero,
    ImeiCheck,
    NotImsi,
    ImsiCountry,
    NotDeviceId,
    DeviceAllZero,
    MacBroadcast,
    MacPlaceholder,
    NotPlate,
    NotName,
    NotAddress,
    NotGender,
    NotEthnicity,
    NotDate,
    NotCoordinatePair,
    ;
    /// The first two digits of a resident ID are no province-level code.
    UnknownProvince(u8),
    /// The first three digits of a mobile number are not allocated.
    UnallocatedPrefix(u16),
}

/// What the classification rules need to know of a detector beyond its
/// class (SPEC §2–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Other,
    /// A personal name: names the person, and is the "name" of the
    /// name-plus rules.
    Name,
    /// A postal address.
    Address,
    /// A phone number (the bare-phone rule).
    Phone,
    /// A resident ID number (the ID-card rule).
    ResidentId,
    /// A bank card number (the property rule).
    BankCard,
    /// Found by value, it identifies a person only next to a name in the
    /// same record (vehicle plates, SPEC §2.1); under its own header it is an
    /// identifier like any other. It never types a column by sampling.
    NeedsName,
}

/// One built-in validator.
pub trait Validator: Sync {
    /// The name a pattern file gives it (`validator = "…"`).
    fn name(&self) -> &'static str;

    /// Validates a value found in a column whose header declares it.
    fn validate(&self, v: &str) -> Check;

    /// Value detection in an untyped field: `None` when the value does not
    /// have this shape at all; otherwise whether it validates.
    ///
    /// Only shapes specific enough to be an attempt at the identifier give
    /// an `Invalid` (an 18-character ID, an 11-digit number starting with 1,
    /// something with an `@`); the default takes valid values only, since a
    /// 16-digit number that fails Luhn is just a number, not an untrue card.
    fn detect(&self, v: &str) -> Option<Check> {
        self.validate(v).valid_or_none()
    }

    /// Whether value detection stops here: the value has this identifier's
    /// structure, so it is this identifier, valid or not, even if a later
    /// detector would take it as valid.
    fn claims(&self, _v: &str) -> bool {
        false
    }

    /// Whether a value in a column of this identifier is an attempt at it at
    /// all (未填写 in a phone column is no phone number, not an untrue one).
    fn attempted(&self, _v: &str) -> bool {
        true
    }

    /// How its values are compared in the dedup key.
    fn key_form(&self) -> KeyForm {
        KeyForm::Plain
    }

    /// How its values are shown; `None`: by the detector's class.
    fn mask(&self) -> Option<Mask> {
        None
    }

    fn facet(&self) -> Facet {
        Facet::Other
    }
}

/// A validator that is its check function and nothing else: found by value
/// only when valid, an attempt when it holds a digit (`needs_digit`) or
/// always, compared by `key_form` (the accounts, devices, travel documents).
pub(super) struct Simple {
    pub name: &'static str,
    pub check: fn(&str) -> Check,
    pub needs_digit: bool,
    pub key_form: KeyForm,
}

impl Validator for Simple {
    fn name(&self) -> &'static str {
        self.name
    }
    fn validate(&self, v: &str) -> Check {
        (self.check)(v)
    }
    fn attempted(&self, v: &str) -> bool {
        !self.needs_digit || super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        self.key_form
    }
}

/// A yes/no test with one reason (the person attributes, dates,
/// coordinates), its mask and facet.
pub(super) struct Test {
    pub name: &'static str,
    pub test: fn(&str) -> bool,
    pub reason: Reason,
    pub mask: Option<Mask>,
    pub facet: Facet,
}

impl Validator for Test {
    fn name(&self) -> &'static str {
        self.name
    }
    fn validate(&self, v: &str) -> Check {
        Check::when((self.test)(v), self.reason)
    }
    fn mask(&self) -> Option<Mask> {
        self.mask
    }
    fn facet(&self) -> Facet {
        self.facet
    }
}
