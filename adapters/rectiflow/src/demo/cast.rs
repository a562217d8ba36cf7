//! The demo county's cast: four task forces (the source's four fields), about sixty units
//! under them, and their people — a head (一把手) and two staff each — plus the task-force
//! office's secretariats, discipline inspection, the civil-affairs authority, the two
//! integrators and the leadership group. Pure data: the same for every seed, so a walk of
//! the demo can name the county hospital and the same units in every run.

use rectiflow_domain::organisation::{IntegratorKind, Role, UnitKind};
use rectiflow_domain::settings::Field;

/// One task force: its id, field, name, item-code prefix, lead department (the supervising
/// unit of its items) and secretariat, and its member units.
pub struct TaskForce {
    pub id: &'static str,
    pub field: Field,
    pub name: &'static str,
    pub prefix: &'static str,
    /// The county department that supervises the task force's items.
    pub lead: &'static str,
    pub secretariat: &'static str,
    pub members: Vec<Unit>,
}

/// A unit with its people: `<id>-head` is its head, `<id>-1` and `<id>-2` its staff.
#[derive(Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
}

impl Unit {
    fn new(id: impl Into<String>, name: impl Into<String>, kind: UnitKind) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            kind,
        }
    }

    pub fn head(&self) -> String {
        format!("{}-head", self.id)
    }

    /// The staff member who answers for most of the unit's items.
    pub fn staff(&self, n: usize) -> String {
        format!("{}-{}", self.id, 1 + n % 2)
    }
}

/// The administrator who set the county up.
pub const ADMIN: &str = "admin-wu";
/// The discipline inspector (纪检监察) who concludes investigations.
pub const INSPECTOR: &str = "jw-he";
/// The medical-insurance monitoring platform's integrator (pushes alerts).
pub const PLATFORM: &str = "ybjk-platform";
/// The school-meal app's integrator (forwards complaints).
pub const MEAL_APP: &str = "meal-app";
/// The leadership group's member (领导小组) who reads the bulletins.
pub const LEADER: &str = "leader-zhang";

/// County departments outside the task forces' members: who runs the campaign.
pub fn departments() -> Vec<Unit> {
    [
        ("task-force-office", "专班办公室"),
        ("discipline-commission", "县纪委监委"),
        ("leading-group", "群腐整治领导小组"),
        ("health-bureau", "县医保局"),
        ("education-bureau", "县教育局"),
        ("civil-affairs", "县民政局"),
        ("state-assets-office", "县国资办"),
    ]
    .into_iter()
    .map(|(id, name)| Unit::new(id, name, UnitKind::Department))
    .collect()
}

/// What an official is made: a task force's secretariat (named by its id), or another role.
pub enum Post {
    Secretariat(&'static str),
    Role(Role),
}

/// The officials the campaign's roles need: id, name, unit, post.
pub fn officials() -> Vec<(&'static str, &'static str, &'static str, Post)> {
    let secretariat = Post::Secretariat;
    vec![
        (
            "sec-li",
            "李干事",
            "task-force-office",
            secretariat("yibao"),
        ),
        (
            "sec-zhao",
            "赵干事",
            "task-force-office",
            secretariat("xiaoyuan"),
        ),
        (
            "sec-sun",
            "孙干事",
            "task-force-office",
            secretariat("yanglao"),
        ),
        (
            "sec-qian",
            "钱干事",
            "task-force-office",
            secretariat("guozi"),
        ),
        (
            INSPECTOR,
            "何主任",
            "discipline-commission",
            Post::Role(Role::DisciplineInspection),
        ),
        (
            "ca-zhou",
            "周科长",
            "civil-affairs",
            Post::Role(Role::CivilAffairs),
        ),
        (
            LEADER,
            "张组长",
            "leading-group",
            Post::Role(Role::Leadership),
        ),
        (
            PLATFORM,
            "医保智能监控平台",
            "health-bureau",
            Post::Role(Role::Integrator {
                kind: IntegratorKind::MedicalInsurancePlatform,
            }),
        ),
        (
            MEAL_APP,
            "阳光校园餐平台",
            "education-bureau",
            Post::Role(Role::Integrator {
                kind: IntegratorKind::MealApp,
            }),
        ),
    ]
}

const TOWNS: [(&str, &str); 8] = [
    ("chengguan", "城关镇"),
    ("dongba", "东坝镇"),
    ("xihe", "西河镇"),
    ("nanshan", "南山乡"),
    ("beiling", "北岭乡"),
    ("qingshui", "清水镇"),
    ("baiyang", "白杨乡"),
    ("shiqiao", "石桥镇"),
];

/// The four task forces and their members (about fifty units).
pub fn task_forces() -> Vec<TaskForce> {
    let mut yibao = vec![
        Unit::new("county-hospital", "县人民医院", UnitKind::Hospital),
        Unit::new("tcm-hospital", "县中医院", UnitKind::Hospital),
        Unit::new("maternal-hospital", "县妇幼保健院", UnitKind::Hospital),
        Unit::new("kangning-clinic", "康宁民营医院", UnitKind::Hospital),
    ];
    yibao.extend(TOWNS.iter().map(|(id, name)| {
        Unit::new(
            format!("{id}-health-centre"),
            format!("{name}卫生院"),
            UnitKind::Hospital,
        )
    }));
    let mut xiaoyuan = vec![
        Unit::new("no1-middle-school", "县第一中学", UnitKind::School),
        Unit::new("no2-middle-school", "县第二中学", UnitKind::School),
        Unit::new("experimental-primary", "实验小学", UnitKind::School),
        Unit::new("vocational-school", "县职业中学", UnitKind::School),
        Unit::new("xinhua-supplies", "新华食材配送公司", UnitKind::Supplier),
        Unit::new("fengshou-foods", "丰收农副产品公司", UnitKind::Supplier),
    ];
    xiaoyuan.extend(TOWNS.iter().map(|(id, name)| {
        Unit::new(
            format!("{id}-school"),
            format!("{name}中心学校"),
            UnitKind::School,
        )
    }));
    let mut yanglao = vec![
        Unit::new("kangle-care-home", "康乐养老院", UnitKind::CareHome),
        Unit::new("county-welfare-home", "县社会福利院", UnitKind::CareHome),
    ];
    yanglao.extend(TOWNS.iter().map(|(id, name)| {
        Unit::new(
            format!("{id}-care-home"),
            format!("{name}敬老院"),
            UnitKind::CareHome,
        )
    }));
    let guozi = [
        ("urban-investment", "县城投集团"),
        ("water-group", "县水务集团"),
        ("transport-group", "县交通投资公司"),
        ("grain-reserve", "县粮食储备公司"),
        ("tourism-group", "县文旅集团"),
        ("public-housing", "县保障房公司"),
        ("agri-development", "县农业发展公司"),
        ("energy-company", "县能源公司"),
    ]
    .into_iter()
    .map(|(id, name)| Unit::new(id, name, UnitKind::Enterprise))
    .collect();
    vec![
        TaskForce {
            id: "yibao",
            field: Field::MedicalInsurance,
            name: "医保基金专班",
            prefix: "YB",
            lead: "health-bureau",
            secretariat: "sec-li",
            members: yibao,
        },
        TaskForce {
            id: "xiaoyuan",
            field: Field::SchoolMeals,
            name: "校园餐专班",
            prefix: "XYC",
            lead: "education-bureau",
            secretariat: "sec-zhao",
            members: xiaoyuan,
        },
        TaskForce {
            id: "yanglao",
            field: Field::ElderlyCare,
            name: "养老服务专班",
            prefix: "YL",
            lead: "civil-affairs",
            secretariat: "sec-sun",
            members: yanglao,
        },
        TaskForce {
            id: "guozi",
            field: Field::StateAssets,
            name: "国资国企专班",
            prefix: "GZ",
            lead: "state-assets-office",
            secretariat: "sec-qian",
            members: guozi,
        },
    ]
}

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: [&str; 12] = [
    "建国", "秀英", "志强", "海燕", "国平", "丽华", "伟", "敏", "军", "静", "磊", "芳",
];

/// A person's name, the same for the same id.
pub fn name_of(n: usize) -> String {
    format!(
        "{}{}",
        SURNAMES[n % SURNAMES.len()],
        GIVEN[(n / SURNAMES.len()) % GIVEN.len()]
    )
}
