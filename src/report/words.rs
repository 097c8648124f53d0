//! The fixed wording of the case-file report, in English and Chinese. The
//! Chinese legal terms are those of the Criminal Law and the
//! interpretations, word for word.

use std::borrow::Cow;

use crate::assess::Article;
use crate::detect::validate::Reason;
use crate::model::{Consequence, Kind, Level, PriorPunishment, Subject};

/// Language of human text (`explain`, reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "chinese" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The English or the Chinese of a pair.
pub fn tr<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub struct Words {
    pub lang_attr: &'static str,
    pub title: &'static str,
    pub subtitle: &'static str,
    pub verdict: &'static str,
    pub level: &'static str,
    pub rule_set: &'static str,
    pub weighted: &'static str,
    pub grounds: &'static str,
    pub no_ground: &'static str,
    pub computation: &'static str,
    pub to_next: &'static str,
    pub at_top: &'static str,
    pub items_needed: &'static str,
    pub gains_needed: &'static str,
    pub assumptions: &'static str,
    pub notes: &'static str,
    pub chart: &'static str,
    pub chart_caption: &'static str,
    pub pro_rata: &'static str,
    pub kinds: &'static str,
    pub kind: &'static str,
    pub tier: &'static str,
    pub seized: &'static str,
    pub invalid: &'static str,
    pub duplicate: &'static str,
    pub counted: &'static str,
    pub threshold: &'static str,
    pub tier_total: &'static str,
    pub persons: &'static str,
    pub invalid_reasons: &'static str,
    pub co_occurring: &'static str,
    pub basis_used: &'static str,
    pub policies: &'static str,
    pub policy: &'static str,
    pub value: &'static str,
    pub records_moved: &'static str,
    pub effect: &'static str,
    pub case: &'static str,
    pub fact: &'static str,
    pub recipients: &'static str,
    pub inputs: &'static str,
    pub inputs_summary: &'static str,
    pub path: &'static str,
    pub format: &'static str,
    pub encoding: &'static str,
    pub size: &'static str,
    pub records: &'static str,
    pub errors: &'static str,
    pub archives: &'static str,
    pub entries: &'static str,
    pub skipped: &'static str,
    pub reason: &'static str,
    pub error_list: &'static str,
    pub position: &'static str,
    pub message: &'static str,
    pub more: &'static str,
    pub samples: &'static str,
    pub samples_intro: &'static str,
    pub status: &'static str,
    pub identifiers: &'static str,
    pub status_counted: &'static str,
    pub status_duplicate: &'static str,
    pub status_invalid: &'static str,
    pub duplicate_of: &'static str,
    pub method: &'static str,
    pub method_text: &'static [&'static str],
    pub none: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
}

pub const EN: Words = Words {
    lang_attr: "en",
    title: "Personal-information item count",
    subtitle: "Criminal Law Art. 253-1 and Art. 286-1; Fa Shi [2017] No. 10; Fa Shi [2019] No. 15",
    verdict: "Verdict",
    level: "Level reached",
    rule_set: "Standard applied",
    weighted: "Pro-rata sum",
    grounds: "Deciding grounds",
    no_ground: "No ground is met.",
    computation: "Computation",
    to_next: "Margin to the next level",
    at_top: "The highest level of this article is reached.",
    items_needed: "more items would reach it: tier A {a}, or tier B {b}, or tier C {c} (each alone)",
    gains_needed: "or {g} RMB more illegal gains",
    assumptions: "Assumed, not assessed",
    notes: "Notes",
    chart: "Counted items against the thresholds",
    chart_caption: "Each bar is a tier's counted items divided by its serious threshold, on one scale; the pro-rata sum is their total. The dashed lines mark the serious (1) and especially serious (10) levels.",
    pro_rata: "pro-rata sum",
    kinds: "Items per kind",
    kind: "Kind",
    tier: "Tier",
    seized: "Seized",
    invalid: "Invalid",
    duplicate: "Duplicate",
    counted: "Counted",
    threshold: "Serious threshold (Art. 253-1)",
    tier_total: "Tier {t} total on the basis used",
    persons: "distinct tracked persons among the counted tracking points",
    invalid_reasons: "Why records are invalid",
    co_occurring: "Records that also carried evidence of another kind (counted once, under the most sensitive kind)",
    basis_used: "The assessment uses the count of basis \u{201c}{b}\u{201d}.",
    policies: "Policies in force",
    policy: "Policy",
    value: "Value",
    records_moved: "Records moved",
    effect: "Effect",
    case: "Case facts used",
    fact: "Fact",
    recipients: "Recipients (items are deduplicated within each recipient and summed)",
    inputs: "Inputs",
    inputs_summary: "{n} input files, {bytes} bytes, {records} records, {pi} personal-information records, {masked} masked, {bare} bare phone numbers, {errors} errors, {skipped} skipped files.",
    path: "Path",
    format: "Format",
    encoding: "Encoding",
    size: "Bytes",
    records: "Records",
    errors: "Errors",
    archives: "Archives opened",
    entries: "Entries",
    skipped: "Files not read",
    reason: "Reason",
    error_list: "Input errors",
    position: "Position",
    message: "Message",
    more: "{n} more, listed in the JSON report.",
    samples: "Samples",
    samples_intro: "The first valid records of each kind in scan order, masked. Positions are 1-based lines (and byte offsets) or rows.",
    status: "Status",
    identifiers: "Identifiers (masked)",
    status_counted: "counted",
    status_duplicate: "duplicate",
    status_invalid: "invalid",
    duplicate_of: "duplicate of sample {n}",
    method: "How the items were counted",
    method_text: &[
        "One item is one record about one person: a row of a table or spreadsheet, a JSON object, a SQL tuple or a line of text (Fa Shi [2017] No. 10, Art. 11). A record is personal information when it holds at least one strong identifier (resident ID number, mobile number, e-mail, bank card, passport or permit number, account or device id, a plate with a name), or a name together with another personal attribute or with evidence of a kind. A record identified only by masked values (138****1234) is not personal information (Art. 3); a bare phone number is left out unless the bare_phone policy counts it.",
        "Each record is put in exactly one kind. A record that carries evidence of several kinds is counted once, under the most sensitive: tier A (tracking, communication content, credit, property) before tier B (accommodation, communication records, health, transaction, other information affecting personal or property safety) before tier C (other personal information).",
        "Seized is every personal-information record of a kind. Invalid records are records whose strong identifiers all fail validation: a resident ID with a wrong check digit, an impossible birth date or an unknown province code; an unallocated mobile prefix; a bank card failing the Luhn check; a malformed e-mail. They are shown to be untrue and are excluded (Art. 11 para 3; SPP Guiding Case 140).",
        "A duplicate is a valid record whose content was already seen earlier in the scan: the same kind and the same normalised personal values, whatever the column order, field names, file format or encoding. The first occurrence (the lowest file, then the lowest offset) is counted; the others are excluded. When the case file names recipients, duplicates are removed within each recipient and the recipients are summed.",
        "Counted = seized \u{2212} invalid \u{2212} duplicate. The assessment uses the counted items unless another basis is chosen; all three numbers are always reported. When no tier reaches its number alone, the tiers are combined pro rata: nA/TA + nB/TB + nC/TC \u{2265} 1 is serious and \u{2265} 10 is especially serious. The comparison is made exactly, in whole numbers; thresholds include the number itself (Criminal Law Art. 99).",
        "Every input is identified by its SHA-256, computed while it was read. Every counted item can be traced to its file and position in the evidence table (--evidence).",
    ],
    none: "none",
    yes: "yes",
    no: "no",
};

pub const ZH: Words = Words {
    lang_attr: "zh-CN",
    title: "公民个人信息条数认定报告",
    subtitle: "《中华人民共和国刑法》第二百五十三条之一、第二百八十六条之一；法释〔2017〕10号；法释〔2019〕15号",
    verdict: "认定结论",
    level: "达到的情节",
    rule_set: "适用标准",
    weighted: "按比例合计",
    grounds: "认定依据",
    no_ground: "未满足任何认定依据。",
    computation: "计算",
    to_next: "距下一档次",
    at_top: "已达到本条的最高档次。",
    items_needed: "尚需增加：A类 {a} 条，或 B类 {b} 条，或 C类 {c} 条（任一单独）",
    gains_needed: "或违法所得再增加 {g} 元",
    assumptions: "假定事项（未评估）",
    notes: "说明",
    chart: "计入条数与数量标准",
    chart_caption: "每一条柱为该类计入条数除以其情节严重标准，同一比例尺；按比例合计为三者之和。虚线分别为情节严重（1）与情节特别严重（10）。",
    pro_rata: "按比例合计",
    kinds: "各类信息条数",
    kind: "信息类别",
    tier: "档次",
    seized: "查获",
    invalid: "不真实",
    duplicate: "重复",
    counted: "计入",
    threshold: "情节严重标准（第二百五十三条之一）",
    tier_total: "{t}类合计（所用口径）",
    persons: "计入的行踪轨迹信息所涉不同人数",
    invalid_reasons: "不真实信息的原因",
    co_occurring: "同时含有其他类别信息的记录（仅按最敏感类别计一次）",
    basis_used: "认定采用\u{201c}{b}\u{201d}口径的条数。",
    policies: "适用的分类规则",
    policy: "规则",
    value: "取值",
    records_moved: "影响记录数",
    effect: "效果",
    case: "采用的案件事实",
    fact: "事实",
    recipients: "信息接收方（在每一接收方内去重后累计）",
    inputs: "检材",
    inputs_summary: "共 {n} 个文件，{bytes} 字节，{records} 条记录，其中公民个人信息 {pi} 条，已脱敏 {masked} 条，单独手机号 {bare} 条，错误 {errors} 处，未读取文件 {skipped} 个。",
    path: "路径",
    format: "格式",
    encoding: "编码",
    size: "字节数",
    records: "记录数",
    errors: "错误",
    archives: "已打开的压缩包",
    entries: "条目数",
    skipped: "未读取的文件",
    reason: "原因",
    error_list: "读取错误",
    position: "位置",
    message: "说明",
    more: "另有 {n} 项，见 JSON 报告。",
    samples: "样例",
    samples_intro: "按扫描顺序列出每类最先出现的有效记录，均已脱敏。位置为行号（及字节偏移）或表格行号，从 1 起算。",
    status: "状态",
    identifiers: "标识信息（已脱敏）",
    status_counted: "计入",
    status_duplicate: "重复",
    status_invalid: "不真实",
    duplicate_of: "与样例 {n} 重复",
    method: "计数方法说明",
    method_text: &[
        "一条信息是关于一个人的一条记录：表格或电子表格的一行、一个 JSON 对象、一个 SQL 元组或一行文本（法释〔2017〕10号第十一条）。记录含有至少一项强标识（居民身份证号码、手机号码、电子邮箱、银行卡号、护照或通行证号码、账号或设备号、与姓名同时出现的车牌号），或者姓名与其他个人属性或某类信息特征同时出现的，认定为公民个人信息。仅含已脱敏标识（如 138****1234）的记录，经过处理无法识别特定个人且不能复原，不属于公民个人信息（第三条）；仅有一个手机号码的记录默认不计入。",
        "每条记录只归入一个类别。含有多个类别特征的记录只计一次，按最敏感的类别归类：A类（行踪轨迹信息、通信内容、征信信息、财产信息）优先于B类（住宿信息、通信记录、健康生理信息、交易信息、其他可能影响人身、财产安全的信息），B类优先于C类（其他公民个人信息）。",
        "查获数是某一类别的全部公民个人信息记录。不真实信息是其全部强标识均未通过校验的记录：身份证号码校验码错误、出生日期不可能或省级代码不存在；手机号段未分配；银行卡号未通过 Luhn 校验；电子邮箱格式错误。此类信息经查证不真实，予以扣除（第十一条第三款；最高人民检察院指导性案例第140号）。",
        "重复信息是内容在扫描中已经出现过的有效记录：类别相同、规范化后的个人信息相同，与列的顺序、字段名称、文件格式和编码无关。首次出现（文件顺序在先，其次偏移在前）的一条计入，其余扣除。案件文件列明信息接收方的，在每一接收方内去重后累计（向不同对象提供的，分别计算）。",
        "计入数 = 查获数 − 不真实 − 重复。除另行选择口径外，认定采用计入数；三个数字均予列明。任一档次单独未达到数量标准的，按相应比例合计：nA/TA + nB/TB + nC/TC ≥ 1 为情节严重，≥ 10 为情节特别严重。比较以整数精确计算；\u{201c}以上\u{201d}包括本数（刑法第九十九条）。",
        "每一检材文件均以读取时计算的 SHA-256 值标识。每一条计入的信息均可通过证据清单（--evidence）追溯到其所在文件和位置。",
    ],
    none: "无",
    yes: "是",
    no: "否",
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn article_name(article: Article, lang: Lang) -> &'static str {
    match (article, lang) {
        (Article::A253_1, Lang::Zh) => "刑法第二百五十三条之一（侵犯公民个人信息罪）",
        (Article::A286_1, Lang::Zh) => "刑法第二百八十六条之一（拒不履行信息网络安全管理义务罪）",
        (Article::A253_1, Lang::En) => {
            "Criminal Law Art. 253-1 (infringing citizens' personal information)"
        }
        (Article::A286_1, Lang::En) => {
            "Criminal Law Art. 286-1 (refusing to perform information-network security management duties)"
        }
    }
}

/// A level's name in the report: the law's, and for "none" what was not reached.
pub fn level_name(level: Level, article: Article, lang: Lang) -> &'static str {
    match (level, article, lang) {
        (Level::None, Article::A253_1, Lang::Zh) => "未达到情节严重",
        (Level::None, Article::A286_1, Lang::Zh) => "未达到造成严重后果",
        (Level::None, _, Lang::En) => "not reached",
        (Level::Serious, Article::A286_1, Lang::En) => "serious consequences",
        _ => {
            let name = article.level_name(level);
            tr(lang, name.en, name.zh)
        }
    }
}

pub fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => kind.zh(),
        Lang::En => kind.en(),
    }
}

pub fn subject_name(s: Subject, lang: Lang) -> &'static str {
    match (s, lang) {
        (Subject::Ordinary, Lang::Zh) => "一般主体",
        (Subject::Duty, Lang::Zh) => "将在履行职责或者提供服务过程中获得的公民个人信息出售或者提供给他人的",
        (Subject::Business, Lang::Zh) => "为合法经营活动而非法购买、收受公民个人信息的",
        (Subject::Ordinary, Lang::En) => "ordinary",
        (Subject::Duty, Lang::En) => {
            "sells or provides information obtained while performing duties or providing services (duty)"
        }
        (Subject::Business, Lang::En) => {
            "buys or receives information for a lawful business activity (business)"
        }
    }
}

pub fn prior_name(p: PriorPunishment, lang: Lang) -> &'static str {
    match (p, lang) {
        (PriorPunishment::None, Lang::Zh) => "无",
        (PriorPunishment::Criminal, Lang::Zh) => "曾因侵犯公民个人信息受过刑事处罚",
        (PriorPunishment::AdministrativeWithin2y, Lang::Zh) => "二年内受过行政处罚",
        (PriorPunishment::None, Lang::En) => "none",
        (PriorPunishment::Criminal, Lang::En) => "criminally punished before for this offence",
        (PriorPunishment::AdministrativeWithin2y, Lang::En) => {
            "administratively punished within two years"
        }
    }
}

pub fn consequence_name(c: Consequence, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => c.zh(),
        Lang::En => c.en(),
    }
}

/// Case-fact labels: subject, gains, prior punishment, knew criminal use,
/// tracking used in crime, consequences, provided onward.
pub fn fact_labels(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => [
            "行为主体",
            "违法所得（元）",
            "前科",
            "知道或者应当知道他人利用公民个人信息实施犯罪",
            "出售或者提供的行踪轨迹信息被他人用于犯罪",
            "危害后果",
            "出售或者提供给他人（第六条第二款）",
        ],
        Lang::En => [
            "Subject",
            "Illegal gains (RMB)",
            "Prior punishment",
            "Knew or should have known of criminal use",
            "Tracking information used by others for a crime",
            "Consequences",
            "Sold or provided on (Art. 6 para 2)",
        ],
    }
}

/// Chinese numerals for article, paragraph and item numbers (and the 十 of
/// 十倍).
pub fn zh_number(n: u64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        20..=99 => {
            let (t, u) = (n / 10, n % 10);
            let units = if u == 0 { "" } else { DIGITS[u as usize] };
            format!("{}十{units}", DIGITS[t as usize])
        }
        _ => n.to_string(),
    }
}

/// A citation as the report shows it: `Interp-2017 Art.5(1)(6)` becomes
/// `法释〔2017〕10号第五条第一款第六项` in Chinese and
/// `Fa Shi [2017] No. 10, Art. 5(1)(6)` in English. Other text is kept.
pub fn cite(text: &str, lang: Lang) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("Interp-20") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (name_zh, name_en, year_len) = if tail.starts_with("Interp-2017") {
            ("法释〔2017〕10号", "Fa Shi [2017] No. 10", 11)
        } else if tail.starts_with("Interp-2019") {
            ("法释〔2019〕15号", "Fa Shi [2019] No. 15", 11)
        } else {
            out.push_str("Interp-20");
            rest = &tail["Interp-20".len()..];
            continue;
        };
        let mut t = &tail[year_len..];
        let (article, parts, used) = parse_article(t.strip_prefix(" Art.").unwrap_or(""));
        if article.is_none() {
            out.push_str(match lang {
                Lang::Zh => name_zh,
                Lang::En => name_en,
            });
            rest = t;
            continue;
        }
        t = &t[" Art.".len() + used..];
        out.push_str(&cite_one(
            name_zh,
            name_en,
            article,
            &parts,
            tail.starts_with("Interp-2019"),
            lang,
        ));
        rest = t;
        // `… with Art.5(1)(3)`: the same interpretation.
        while let Some(w) = rest.strip_prefix(" with Art.") {
            let (article, parts, used) = parse_article(w);
            if article.is_none() {
                break;
            }
            out.push_str(match lang {
                Lang::Zh => "、",
                Lang::En => " with ",
            });
            let one = cite_one(
                "",
                "",
                article,
                &parts,
                tail.starts_with("Interp-2019"),
                lang,
            );
            out.push_str(one.trim_start_matches(", "));
            rest = &w[used..];
        }
    }
    out.push_str(rest);
    out
}

/// `5(1)(6)…` → (Some(5), [1, 6], bytes used).
fn parse_article(s: &str) -> (Option<u32>, Vec<u32>, usize) {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let Ok(article) = s[..digits].parse::<u32>() else {
        return (None, Vec::new(), 0);
    };
    let mut used = digits;
    let mut parts = Vec::new();
    while let Some(inner) = s[used..].strip_prefix('(') {
        let d = inner.bytes().take_while(u8::is_ascii_digit).count();
        match (inner[..d].parse::<u32>(), inner[d..].starts_with(')')) {
            (Ok(n), true) => {
                parts.push(n);
                used += d + 2;
            }
            _ => break,
        }
    }
    (Some(article), parts, used)
}

fn cite_one(
    name_zh: &str,
    name_en: &str,
    article: Option<u32>,
    parts: &[u32],
    items_only: bool,
    lang: Lang,
) -> String {
    let article = article.unwrap_or(0);
    match lang {
        Lang::Zh => {
            let mut s = format!("{name_zh}第{}条", zh_number(u64::from(article)));
            // Interp-2019 Art. 4 has items directly; Interp-2017 paragraphs, then items.
            let units: &[&str] = if items_only {
                &["项"]
            } else {
                &["款", "项"]
            };
            for (n, unit) in parts.iter().zip(units) {
                s.push_str(&format!("第{}{unit}", zh_number(u64::from(*n))));
            }
            s
        }
        Lang::En => {
            let parts: String = parts.iter().map(|p| format!("({p})")).collect();
            if name_en.is_empty() {
                format!("Art. {article}{parts}")
            } else {
                format!("{name_en}, Art. {article}{parts}")
            }
        }
    }
}

/// The name of a count (`--basis`) in `lang`: the kinds table's column
/// name in Chinese; in English the key, as it is given.
pub fn basis_name(basis: &str, lang: Lang) -> String {
    match (lang, basis) {
        (Lang::Zh, "counted") => "计入".to_string(),
        (Lang::Zh, "valid") => "有效（查获减不真实）".to_string(),
        (Lang::Zh, "seized") => "查获".to_string(),
        _ => basis.to_string(),
    }
}

/// Why a record is invalid (a validator's [`Reason`]), in `lang`: English in
/// the JSON and the evidence table, Chinese in the case file.
pub fn reason(r: Reason, lang: Lang) -> Cow<'static, str> {
    let (en, zh) = match r {
        Reason::UnknownProvince(c) => {
            return Cow::Owned(match lang {
                Lang::En => format!("unknown province code {c:02}"),
                Lang::Zh => format!("省级行政区划代码 {c:02} 不存在"),
            })
        }
        Reason::UnallocatedPrefix(p) => {
            return Cow::Owned(match lang {
                Lang::En => format!("unallocated mobile prefix {p}"),
                Lang::Zh => format!("手机号段 {p} 未分配"),
            })
        }
        Reason::IdentifierFailed => ("an identifier failed validation", "标识未通过校验"),
        Reason::Pattern => (
            "does not match the detector's pattern",
            "不符合该类标识的格式",
        ),
        Reason::Format => ("not in the identifier's format", "不符合该标识的格式"),
        Reason::CheckCharacter => ("check character mismatch", "校验码错误"),
        Reason::NotResidentId => ("not a resident ID number", "不是居民身份证号码"),
        Reason::BirthDateInvalid => ("invalid birth date", "出生日期不存在"),
        Reason::BirthBefore1900 => ("birth date before 1900", "出生日期早于1900年"),
        Reason::BirthInFuture => ("birth date in the future", "出生日期晚于当日"),
        Reason::ResidentIdCheck => (
            "resident ID check digit mismatch",
            "居民身份证号码校验码错误",
        ),
        Reason::NotMobile => ("not a mobile number", "不是手机号码"),
        Reason::EmailDomainEmpty => ("e-mail domain is empty", "电子邮箱域名为空"),
        Reason::EmailDomainNoDot => ("e-mail domain has no dot", "电子邮箱域名缺少“.”"),
        Reason::EmailDomainLabel => ("e-mail domain label is malformed", "电子邮箱域名格式错误"),
        Reason::EmailTopLevelDomain => (
            "e-mail top-level domain is malformed",
            "电子邮箱顶级域名格式错误",
        ),
        Reason::EmailTooLong => ("e-mail longer than 254 characters", "电子邮箱超过254个字符"),
        Reason::EmailAt => (
            "e-mail must contain exactly one '@'",
            "电子邮箱须含且仅含一个“@”",
        ),
        Reason::EmailLocalLength => ("e-mail local part length", "电子邮箱用户名长度不符"),
        Reason::EmailLocalCharacter => (
            "e-mail local part has an invalid character",
            "电子邮箱用户名含非法字符",
        ),
        Reason::EmailLocalDots => (
            "e-mail local part dot placement",
            "电子邮箱用户名中“.”的位置错误",
        ),
        Reason::NotCard => ("not a card number", "不是银行卡号"),
        Reason::CardLength => ("card number length", "银行卡号长度不符"),
        Reason::CardIssuer => ("unknown card issuer prefix", "银行卡发卡机构标识不存在"),
        Reason::CardLuhn => ("card number fails Luhn", "银行卡号未通过Luhn校验"),
        Reason::NotPassport => ("not a passport number", "不是护照号码"),
        Reason::NotHkMacauPermit => (
            "not a Hong Kong/Macao travel permit number",
            "不是往来港澳通行证号码",
        ),
        Reason::NotTaiwanPermit => (
            "not a Taiwan travel permit number",
            "不是往来台湾通行证号码",
        ),
        Reason::NotQq => ("not a QQ number", "不是QQ号码"),
        Reason::NotWechat => ("not a WeChat id", "不是微信号"),
        Reason::WeiboEmpty => ("empty Weibo id", "微博账号为空"),
        Reason::WeiboWhitespace => ("Weibo id contains whitespace", "微博账号含空白字符"),
        Reason::WeiboControl => (
            "Weibo id contains a control character",
            "微博账号含控制字符",
        ),
        Reason::NotImei => ("not an IMEI", "不是IMEI"),
        Reason::ImeiAllZero => ("all-zero IMEI", "IMEI全为零"),
        Reason::ImeiCheck => ("IMEI check digit mismatch", "IMEI校验位错误"),
        Reason::NotImsi => ("not an IMSI", "不是IMSI"),
        Reason::ImsiCountry => ("IMSI country code out of range", "IMSI移动国家代码超出范围"),
        Reason::NotDeviceId => ("not a device id", "不是设备号"),
        Reason::DeviceAllZero => ("all-zero device id", "设备号全为零"),
        Reason::MacBroadcast => ("broadcast MAC address", "MAC地址为广播地址"),
        Reason::MacPlaceholder => ("placeholder MAC address", "MAC地址为占位值"),
        Reason::NotPlate => ("not a vehicle plate", "不是机动车号牌"),
        Reason::ResidentIdMangled => (
            "resident ID in scientific notation: a spreadsheet already lost its last digits",
            "居民身份证号码已成科学计数法：电子表格已丢失其末几位数字",
        ),
        Reason::NotName => ("not a personal name", "不是人名"),
        Reason::NotAddress => ("not an address", "不是地址"),
        Reason::NotGender => ("not a gender", "不是性别"),
        Reason::NotEthnicity => ("not an ethnicity", "不是民族"),
        Reason::NotDate => ("not a date", "不是日期"),
        Reason::NotCoordinatePair => ("not a coordinate pair", "不是经纬度坐标"),
    };
    Cow::Borrowed(match lang {
        Lang::En => en,
        Lang::Zh => zh,
    })
}

/// A reason as a JSON report words it (in English), in `lang`; a wording
/// this build does not know stays as given.
pub fn reason_text(en: &str, lang: Lang) -> String {
    match parse_reason(en) {
        Some(r) => reason(r, lang).into_owned(),
        None => en.to_string(),
    }
}

/// The reason an English wording of [`reason`] gives.
fn parse_reason(en: &str) -> Option<Reason> {
    if let Some(c) = en.strip_prefix("unknown province code ") {
        return c
            .parse()
            .ok()
            .filter(|c| *c < 100)
            .map(Reason::UnknownProvince);
    }
    if let Some(p) = en.strip_prefix("unallocated mobile prefix ") {
        return p.parse().ok().map(Reason::UnallocatedPrefix);
    }
    Reason::PLAIN
        .iter()
        .copied()
        .find(|&r| reason(r, Lang::En) == en)
}

/// What a policy did, in Chinese (the JSON's `effect` is English): from the
/// policy, its value and the records it moved; for `track_unit`, the
/// counted tracking points and the distinct tracked persons. `None` for a
/// policy or value it does not know.
pub fn policy_effect_zh(policy: &str, value: &str, points: u64, persons: u64) -> Option<String> {
    Some(match (policy, value) {
        ("travel", v) => {
            let kind = Kind::from_key(v)?;
            format!("因本政策，出行预订记录计为{}", kind_name(kind, Lang::Zh))
        }
        ("idcard", "strict") => {
            "姓名、身份证号码与住址同时出现（或含身份证、人脸图像）的记录计为其他可能影响人身、财产安全的信息（身份证信息）".to_string()
        }
        ("idcard", "broad") => {
            "姓名与身份证号码同时出现的记录即计为其他可能影响人身、财产安全的信息（身份证信息）".to_string()
        }
        ("bare_phone", "exclude") => "仅有一个电话号码的记录不计入".to_string(),
        ("bare_phone", "count") => "仅有一个电话号码的记录计为其他公民个人信息".to_string(),
        ("track_unit", unit @ ("point" | "person")) => format!(
            "行踪轨迹信息计入 {points} 个点位，涉及 {persons} 名被跟踪人；认定按{}计算",
            if unit == "point" { "点位" } else { "人数" }
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_in_both_languages() {
        assert_eq!(
            cite("Interp-2017 Art.5(1)(6)", Lang::Zh),
            "法释〔2017〕10号第五条第一款第六项"
        );
        assert_eq!(
            cite("Interp-2017 Art.5(1)(6)", Lang::En),
            "Fa Shi [2017] No. 10, Art. 5(1)(6)"
        );
        assert_eq!(
            cite("Interp-2019 Art.4(4)", Lang::Zh),
            "法释〔2019〕15号第四条第四项"
        );
        assert_eq!(
            cite("Interp-2017 Art.5(1)(8) with Art.5(1)(3)", Lang::Zh),
            "法释〔2017〕10号第五条第一款第八项、第五条第一款第三项"
        );
        assert_eq!(
            cite("Interp-2017 Art.5(2)(3) with Art.5(1)(8)", Lang::En),
            "Fa Shi [2017] No. 10, Art. 5(2)(3) with Art. 5(1)(8)"
        );
        assert_eq!(
            cite("Interp-2017 Art.5", Lang::Zh),
            "法释〔2017〕10号第五条"
        );
        assert_eq!(
            cite("Interp-2017 Art.6 (business)", Lang::Zh),
            "法释〔2017〕10号第六条 (business)"
        );
        assert_eq!(cite("no citation", Lang::Zh), "no citation");
        assert_eq!(zh_number(11), "十一");
        assert_eq!(zh_number(20), "二十");
    }

    /// Written in Chinese: Han characters, and no English word (a run of
    /// four lowercase Latin letters; `Luhn`, `IMEI` and `QQ` are names).
    fn chinese(s: &str) -> bool {
        let han = s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let english = s
            .split(|c: char| !c.is_ascii_lowercase())
            .any(|w| w.len() >= 4);
        han && !english
    }

    /// Every reason has a Chinese wording and an English one of its own,
    /// and a JSON report's English wording reads back as the same reason.
    #[test]
    fn every_invalid_reason_has_both_wordings() {
        let mut all: Vec<Reason> = Reason::PLAIN.to_vec();
        all.extend((0..100).map(Reason::UnknownProvince));
        all.extend((100..200).map(Reason::UnallocatedPrefix));
        let mut english = std::collections::HashSet::new();
        for &r in &all {
            let zh = reason(r, Lang::Zh);
            assert!(chinese(&zh), "no Chinese wording for {r:?}: {zh:?}");
            let en = reason(r, Lang::En);
            assert!(
                english.insert(en.clone()),
                "{r:?}: {en:?} is another reason's"
            );
            assert_eq!(parse_reason(&en), Some(r));
            assert_eq!(reason_text(&en, Lang::Zh), zh);
        }
        assert_eq!(
            reason(Reason::UnallocatedPrefix(154), Lang::Zh),
            "手机号段 154 未分配"
        );
        assert_eq!(
            reason(Reason::UnknownProvince(9), Lang::En),
            "unknown province code 09"
        );
        assert_eq!(reason_text("something new", Lang::Zh), "something new");
    }

    #[test]
    fn every_policy_value_has_a_chinese_effect() {
        for (policy, values) in [
            ("travel", &["other_safety", "tracking"][..]),
            ("idcard", &["strict", "broad"]),
            ("bare_phone", &["exclude", "count"]),
            ("track_unit", &["point", "person"]),
        ] {
            for v in values {
                let zh = policy_effect_zh(policy, v, 35, 5).unwrap_or_default();
                assert!(chinese(&zh), "{policy}={v}: {zh:?}");
            }
        }
        assert_eq!(
            policy_effect_zh("track_unit", "point", 35, 5).as_deref(),
            Some("行踪轨迹信息计入 35 个点位，涉及 5 名被跟踪人；认定按点位计算")
        );
        assert_eq!(policy_effect_zh("travel", "nonsense", 0, 0), None);
        assert_eq!(policy_effect_zh("new_policy", "x", 0, 0), None);
    }
}
