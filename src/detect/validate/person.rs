//! Person attributes: names, postal addresses, gender, ethnicity; and
//! coordinate pairs (tracking evidence).

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::calendar::take_str;
use super::check::{Facet, Reason, Test, Validator};
use super::digits::is_cjk;
use crate::detect::mask::Mask;

/// Common single-character Chinese surnames (sorted by code point for binary search).
const SURNAMES: [char; 403] = [
    '丁', '万', '丛', '严', '丰', '乌', '乐', '乔', '于', '云', '亓', '井', '亢', '仇', '付', '仝',
    '仲', '任', '伊', '伍', '伏', '但', '位', '何', '佘', '余', '佟', '侯', '俞', '信', '修', '倪',
    '傅', '储', '元', '党', '全', '公', '兰', '关', '冀', '冉', '农', '冯', '况', '冶', '冷', '冼',
    '凌', '刁', '刘', '初', '利', '劳', '勾', '包', '匡', '区', '华', '卓', '单', '南', '卜', '卞',
    '卢', '卫', '印', '危', '卿', '厉', '原', '古', '史', '叶', '司', '吉', '向', '吕', '吴', '周',
    '呼', '和', '哈', '唐', '商', '喻', '国', '夏', '奉', '奚', '姚', '姜', '姬', '娄', '孔', '孙',
    '孟', '季', '宁', '安', '宋', '宗', '官', '宣', '宫', '容', '宾', '宿', '寇', '富', '封', '尉',
    '尚', '尤', '尧', '尹', '居', '屈', '展', '屠', '岑', '岳', '崔', '嵇', '左', '巩', '巫', '巴',
    '帅', '师', '席', '常', '干', '平', '幸', '庄', '应', '庞', '康', '廉', '廖', '张', '强', '彭',
    '徐', '惠', '慕', '戈', '戎', '成', '战', '戚', '戴', '房', '扈', '揭', '支', '敖', '敬', '文',
    '斯', '方', '於', '施', '时', '明', '易', '昝', '晁', '晋', '晏', '普', '景', '智', '曲', '曹',
    '曾', '朱', '朴', '权', '李', '杜', '束', '来', '杨', '杭', '林', '柏', '查', '柯', '柳', '柴',
    '栗', '栾', '桂', '桑', '梁', '梅', '植', '楚', '楼', '樊', '檀', '欧', '武', '段', '殷', '母',
    '毕', '毛', '江', '池', '汤', '汪', '沈', '沙', '浦', '海', '涂', '温', '游', '湛', '滕', '满',
    '漆', '潘', '焦', '熊', '燕', '牛', '牟', '狄', '玉', '王', '班', '甄', '甘', '田', '由', '申',
    '白', '皮', '盖', '盘', '盛', '相', '瞿', '石', '祁', '祖', '祝', '禹', '秦', '程', '穆', '窦',
    '章', '童', '符', '简', '管', '米', '粟', '索', '纪', '练', '缪', '罗', '羊', '翁', '翟', '耿',
    '聂', '肖', '胡', '胥', '臧', '舒', '艾', '芦', '芮', '花', '苏', '苑', '苗', '苟', '范', '茅',
    '茹', '荆', '荣', '莫', '葛', '董', '蒋', '蒙', '蒲', '蓝', '蔚', '蔡', '蔺', '薄', '薛', '虞',
    '衡', '衣', '袁', '裘', '裴', '褚', '覃', '解', '詹', '计', '许', '诸', '谈', '谌', '谢', '谭',
    '谷', '豆', '费', '贺', '贾', '赫', '赵', '路', '车', '辛', '辜', '边', '连', '迟', '逯', '邓',
    '邝', '邢', '那', '邬', '邰', '邱', '邵', '邸', '邹', '郁', '郎', '郑', '郜', '郝', '郦', '郭',
    '都', '鄂', '鄢', '金', '钟', '钮', '钱', '银', '门', '闫', '闭', '闵', '闻', '阎', '阙', '阚',
    '阮', '阳', '阴', '阿', '陆', '陈', '陶', '隆', '隋', '雍', '雷', '霍', '靳', '鞠', '韦', '韩',
    '项', '顾', '颜', '饶', '马', '骆', '高', '魏', '鲁', '鲍', '鲜', '鹿', '麦', '麻', '黄', '黎',
    '齐', '龙', '龚',
];

/// Compound (two-character) surnames.
const COMPOUND_SURNAMES: [&str; 29] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "澹台", "轩辕", "呼延", "百里", "南宫", "西门", "万俟", "独孤", "申屠",
    "钟离", "闻人", "赫连", "完颜", "拓跋",
];

/// Characters that mark an address rather than a name.
const NAME_ADDRESS_MARKERS: &str = "省市区县镇乡村路街号栋室";

/// Words that occur in organisation or place values, never in personal names.
const NON_NAME_WORDS: [&str; 14] = [
    "公司", "银行", "酒店", "医院", "学校", "大学", "学院", "政府", "中心", "集团", "有限", "宾馆",
    "饭店", "超市",
];

/// Common two-character words that start with a surname character and would
/// otherwise pass as names (时间 is 时 + 间). Exact matches only: 金额 is
/// not a name, 金额华 could be.
const NON_NAME_EXACT: [&str; 64] = [
    "时间", "金额", "金卡", "金融", "黄金", "银卡", "来源", "高级", "高中", "普通", "车型", "车辆",
    "文化", "文件", "文本", "方式", "方法", "方向", "方案", "余额", "程度", "程序", "江苏", "江西",
    "湖北", "湖南", "安徽", "云南", "贵州", "广东", "广西", "山东", "山西", "海南", "福建", "吉林",
    "黄色", "白色", "红色", "蓝色", "明细", "常用", "包装", "包邮", "应用", "成功", "成本", "单位",
    "单价", "全部", "全国", "经理", "司机", "项目", "支付", "周末", "季度", "年龄", "日期", "万元",
    "于是", "于是", "计划", "关于",
];

/// The organisation words, found in one pass.
static NON_NAME_WORDS_AC: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(NON_NAME_WORDS).ok());

static NON_NAME_EXACT_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NON_NAME_EXACT.into_iter().collect());

/// Whether `s` contains an organisation word (公司, 银行 …).
fn has_non_name_word(s: &str) -> bool {
    // Every word is two CJK characters: six bytes.
    if s.len() < 6 {
        return false;
    }
    match &*NON_NAME_WORDS_AC {
        Some(ac) => ac.is_match(s),
        None => NON_NAME_WORDS.iter().any(|w| s.contains(w)),
    }
}

/// `true` for a value that can be a name where a header says it is one: any
/// script (Zhang Wei, 买买提), but no digits, no organisation words, not long.
pub fn name_like(s: &str) -> bool {
    // 30 characters are at most 120 bytes.
    if s.is_empty() || s.len() > 120 || s.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let n = s.chars().count();
    (1..=30).contains(&n) && !has_non_name_word(s)
}

/// `true` for a plausible personal name written in Chinese characters.
///
/// Han names: 2..=4 CJK unified ideographs (U+4E00..U+9FFF) whose first
/// character is a common surname (about 400, after the 百家姓 and the
/// Ministry of Public Security surname statistics) or whose first two are a
/// compound surname (欧阳, 司马, 诸葛, …). Transliterated minority names:
/// CJK parts joined by `·` (U+00B7), `•` (U+2022), `・` (U+30FB) or `.`,
/// 3..=15 characters in total, e.g. `阿依古丽·买买提`.
/// Rejected: values containing an organisation word (公司 银行 酒店 医院 学校
/// 大学 学院 政府 中心 集团 有限 宾馆 饭店 超市), or an address marker
/// (省 市 区 县 镇 乡 村 路 街 号 栋 室) — for Han names the markers are
/// checked after the surname only, so that the surnames 路 and 区 still work.
pub fn chinese_name(s: &str) -> bool {
    if !s.chars().next().is_some_and(is_cjk) {
        return false;
    }
    if s.len() > 15 * 4 || has_non_name_word(s) || NON_NAME_EXACT_SET.contains(s) {
        return false;
    }
    let has_marker = |t: &str| t.chars().any(|c| NAME_ADDRESS_MARKERS.contains(c));
    let is_sep = |c: char| matches!(c, '·' | '•' | '・' | '.');
    if s.chars().any(is_sep) {
        let n = s.chars().count();
        let mut parts = 0usize;
        for part in s.split(is_sep) {
            if part.is_empty() || !part.chars().all(is_cjk) {
                return false;
            }
            parts += 1;
        }
        return (3..=15).contains(&n) && parts >= 2 && !has_marker(s);
    }
    let n = s.chars().count();
    if !(2..=4).contains(&n) || !s.chars().all(is_cjk) {
        return false;
    }
    let given = if n >= 3 && COMPOUND_SURNAMES.iter().any(|p| s.starts_with(p)) {
        s.char_indices().nth(2).map_or("", |(i, _)| &s[i..])
    } else {
        let mut it = s.chars();
        match it.next() {
            Some(c) if SURNAMES.binary_search(&c).is_ok() => it.as_str(),
            _ => return false,
        }
    };
    !has_marker(given)
}

/// `true` for a plausible postal address: 6..=120 characters, mostly CJK
/// (Han characters at least 4 and at least half of the characters that are
/// not ASCII digits), no sentence punctuation (`。 ! ?`), and either an
/// administrative marker (省 市 区 县 旗 镇 乡 村) together with a locality
/// marker (路 街 道 巷 弄 号 栋 幢 单元 室 小区 组 大厦 花园 苑), or at least
/// two administrative markers (e.g. 广东省深圳市南山区). 村 counts as
/// administrative only, so 村 alone never satisfies both conditions.
pub fn address(s: &str) -> bool {
    if s.len() > 120 * 4 {
        return false;
    }
    let (mut total, mut cjk, mut digits, mut admin) = (0usize, 0usize, 0usize, 0usize);
    for c in s.chars() {
        total += 1;
        if is_cjk(c) {
            cjk += 1;
            if "省市区县旗镇乡村".contains(c) {
                admin += 1;
            }
        } else if c.is_ascii_digit() {
            digits += 1;
        } else if matches!(c, '。' | '!' | '?' | '！' | '？') {
            return false;
        }
    }
    if !(6..=120).contains(&total) || cjk < 4 || cjk * 2 < total - digits {
        return false;
    }
    if admin >= 2 {
        return true;
    }
    const LOCALITY: [&str; 15] = [
        "路", "街", "道", "巷", "弄", "号", "栋", "幢", "单元", "室", "小区", "组", "大厦", "花园",
        "苑",
    ];
    admin >= 1 && LOCALITY.iter().any(|m| s.contains(m))
}

/// `true` for a gender value: 男, 女, 男性, 女性, M, F, male, female
/// (ASCII case-insensitive).
pub fn gender(s: &str) -> bool {
    matches!(s, "男" | "女" | "男性" | "女性")
        || ["m", "f", "male", "female"]
            .iter()
            .any(|g| s.eq_ignore_ascii_case(g))
}

/// The 56 ethnic groups recognised by the PRC (GB/T 3304-1991), without 族.
pub const ETHNIC_GROUPS: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// `true` for one of the 56 ethnic groups of GB/T 3304-1991, with or without
/// the trailing 族 (汉, 汉族, 壮族, 维吾尔族, …).
pub fn ethnicity(s: &str) -> bool {
    let base = s.strip_suffix('族').unwrap_or(s);
    ETHNIC_GROUPS.contains(&base)
}

/// Length of a decimal coordinate at the start of `b`: optional sign, 1..=3
/// integer digits, `.`, 4..=15 fractional digits. `None` if there is none.
fn coord_len(b: &[u8]) -> Option<usize> {
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&int) {
        return None;
    }
    i += int;
    if b.get(i) != Some(&b'.') {
        return None;
    }
    i += 1;
    let frac = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(4..=15).contains(&frac) {
        return None;
    }
    Some(i + frac)
}

/// `true` for a WGS-84 / GCJ-02 style coordinate pair `"lat,lng"` or
/// `"lng,lat"`: two decimals, each with at least 4 fractional digits (about
/// 10 m precision), separated by `,`, `，` or whitespace (a comma may have
/// spaces around it); one value in [-90, 90] and the other in [-180, 180].
pub fn coordinate_pair(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(n1) = coord_len(b) else {
        return false;
    };
    let mut i = n1;
    let ws = |b: &[u8], i: &mut usize| {
        let k = b[*i..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
        *i += k;
        k
    };
    let mut sep = ws(b, &mut i) > 0;
    if take_str(b, &mut i, ",") || take_str(b, &mut i, "，") {
        sep = true;
        ws(b, &mut i);
    }
    if !sep {
        return false;
    }
    let rest = &b[i..];
    if coord_len(rest) != Some(rest.len()) {
        return false;
    }
    let parse = |t: &[u8]| {
        std::str::from_utf8(t)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
    };
    let (Some(a), Some(c)) = (parse(&b[..n1]), parse(rest)) else {
        return false;
    };
    let lat = |v: f64| (-90.0..=90.0).contains(&v);
    let lng = |v: f64| (-180.0..=180.0).contains(&v);
    (lat(a) && lng(c)) || (lng(a) && lat(c))
}

const fn attribute(
    name: &'static str,
    test: fn(&str) -> bool,
    reason: Reason,
    mask: Option<Mask>,
    facet: Facet,
) -> Test {
    Test {
        name,
        test,
        reason,
        mask,
        facet,
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[
    &attribute(
        "name",
        chinese_name,
        Reason::NotName,
        Some(Mask::Name),
        Facet::Name,
    ),
    &attribute(
        "address",
        address,
        Reason::NotAddress,
        Some(Mask::Address),
        Facet::Address,
    ),
    &attribute("gender", gender, Reason::NotGender, None, Facet::Other),
    &attribute(
        "ethnicity",
        ethnicity,
        Reason::NotEthnicity,
        None,
        Facet::Other,
    ),
    &attribute(
        "coordinate_pair",
        coordinate_pair,
        Reason::NotCoordinatePair,
        None,
        Facet::Other,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names() {
        for s in [
            "张三",
            "王小明",
            "李建国",
            "欧阳修",
            "司马相如",
            "诸葛亮",
            "路遥",
            "区志航",
            "阿依古丽·买买提",
            "买买提·艾力",
            "爱新觉罗•溥仪",
            "努尔·白克力",
            "陈",
            "刘德华",
        ] {
            assert_eq!(chinese_name(s), s != "陈", "{s}");
        }
        for s in [
            "",
            "三张",
            "张三丰丰丰",
            "北京市",
            "张家村",
            "李家镇",
            "王府路",
            "张江街",
            "华为公司",
            "工商银行",
            "希尔顿酒店",
            "协和医院",
            "王三号",
            "Zhang San",
            "张3",
            "张 三",
            "·买买提",
            "阿依古丽·",
            "阿·b",
            "阿依古丽·买买提·艾力·阿不都热合曼",
            "海淀区·中关村",
            "欧阳",
        ] {
            if s == "欧阳" {
                // 欧 is itself a common surname: "欧阳" reads as surname + given name
                assert!(chinese_name(s));
                continue;
            }
            assert!(!chinese_name(s), "{s}");
        }
    }

    #[test]
    fn surname_tables() {
        assert!(
            SURNAMES.windows(2).all(|w| w[0] < w[1]),
            "SURNAMES must be sorted and unique"
        );
        assert!(SURNAMES.iter().all(|&c| is_cjk(c)));
        assert!(COMPOUND_SURNAMES
            .iter()
            .all(|s| s.chars().count() == 2 && s.chars().all(is_cjk)));
        for c in ['王', '李', '张', '刘', '陈', '欧', '司', '诸'] {
            assert!(SURNAMES.binary_search(&c).is_ok(), "{c}");
        }
    }

    #[test]
    fn addresses() {
        for s in [
            "北京市朝阳区建国路88号",
            "广东省深圳市南山区",
            "上海市浦东新区张江镇",
            "浙江省杭州市西湖区文三路",
            "北京市朝阳区建国路88号3栋1201室",
            "河北省保定市某某县王庄村三组",
            "内蒙古呼和浩特市新城区",
            "某某县城关镇人民路12号",
            "成都市锦江区春熙路",
            "阳光花园小区5栋2单元301室",
        ] {
            // (the last one: 区 inside 小区 counts as the administrative marker)
            assert!(address(s), "{s}");
        }
        assert!(!address("阳光花园五栋二单元"), "no administrative marker");
        for s in [
            "",
            "北京市",
            "朝阳区",
            "建国路88号",
            "张三",
            "13812345678",
            "Room 1201, No. 88 Jianguo Road",
            "我不知道你在哪个市区。",
            "市A1234567890123",
            "王庄村委会村",
            "abc市区def路ghi",
            "你在市里吗?到路口",
        ] {
            let expect = s == "王庄村委会村"; // two administrative markers (村 twice)
            assert_eq!(address(s), expect, "{s}");
        }
        let long = "北京市朝阳区建国路".repeat(20);
        assert!(!address(&long));
    }

    #[test]
    fn genders() {
        for s in [
            "男", "女", "男性", "女性", "M", "f", "Male", "FEMALE", "male",
        ] {
            assert!(gender(s), "{s}");
        }
        for s in ["", "男女", "man", "1", "0", "未知", "mf", "男 "] {
            assert!(!gender(s), "{s}");
        }
    }

    #[test]
    fn ethnicities() {
        assert_eq!(ETHNIC_GROUPS.len(), 56);
        let mut sorted = ETHNIC_GROUPS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 56, "no duplicates");
        for g in ETHNIC_GROUPS {
            assert!(ethnicity(g), "{g}");
            assert!(ethnicity(&format!("{g}族")), "{g}族");
        }
        for s in [
            "汉",
            "汉族",
            "壮族",
            "维吾尔族",
            "蒙古族",
            "柯尔克孜族",
            "基诺族",
        ] {
            assert!(ethnicity(s), "{s}");
        }
        for s in [
            "",
            "族",
            "汉族族",
            "蒙族",
            "穿青人",
            "汉人",
            "Han",
            "中国",
            "苗苗族",
        ] {
            assert!(!ethnicity(s), "{s}");
        }
    }

    #[test]
    fn coordinates() {
        for s in [
            "39.9042,116.4074",
            "116.4074,39.9042",
            "39.9042, 116.4074",
            "39.9042 116.4074",
            "39.9042，116.4074",
            "-33.8688,151.2093",
            "22.543096,114.057865",
            "+39.9042,-116.4074",
            "0.0000,0.0000",
            "90.0000,180.0000",
        ] {
            assert!(coordinate_pair(s), "{s}");
        }
        for s in [
            "",
            "39.904,116.4074",
            "39.9042,116.407",
            "39,116",
            "116.4074,139.9042",
            "95.0000,95.0000",
            "39.9042;116.4074",
            "39.9042116.4074",
            "39.9042,",
            ",116.4074",
            "39.9042,116.4074,1.0000",
            "1e1.0000,116.4074",
            "inf,116.4074",
            "39.9042,,116.4074",
            "1234.5678,1.2345",
            "39.9042, 116.4074x",
            "三九.9042,116.4074",
        ] {
            assert!(!coordinate_pair(s), "{s}");
        }
    }
}
