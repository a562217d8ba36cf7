//! 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12.
//! The first arrangement under the 全国年节及纪念日放假办法 as revised in November 2024 (春节
//! and 劳动节 one statutory day longer each). Each holiday below quotes its line of the notice.

use super::{Arrangement, Holiday, Notice};

pub(super) const ARRANGEMENT: Arrangement = Arrangement {
    year: 2025,
    notice: Notice {
        title: "国务院办公厅关于2025年部分节假日安排的通知",
        number: "国办发明电〔2024〕12号",
        issued: day!(2024, 11, 12),
        url: "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
    },
    holidays: &[
        // 一、元旦：1月1日（周三）放假1天，不调休。
        Holiday {
            name: "元旦",
            first_day_off: day!(2025, 1, 1),
            last_day_off: day!(2025, 1, 1),
            days_off: 1,
            make_up_days: &[],
        },
        // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
        // 1月26日（周日）、2月8日（周六）上班。
        Holiday {
            name: "春节",
            first_day_off: day!(2025, 1, 28),
            last_day_off: day!(2025, 2, 4),
            days_off: 8,
            make_up_days: &[day!(2025, 1, 26), day!(2025, 2, 8)],
        },
        // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
        Holiday {
            name: "清明节",
            first_day_off: day!(2025, 4, 4),
            last_day_off: day!(2025, 4, 6),
            days_off: 3,
            make_up_days: &[],
        },
        // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
        Holiday {
            name: "劳动节",
            first_day_off: day!(2025, 5, 1),
            last_day_off: day!(2025, 5, 5),
            days_off: 5,
            make_up_days: &[day!(2025, 4, 27)],
        },
        // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
        Holiday {
            name: "端午节",
            first_day_off: day!(2025, 5, 31),
            last_day_off: day!(2025, 6, 2),
            days_off: 3,
            make_up_days: &[],
        },
        // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
        // 9月28日（周日）、10月11日（周六）上班。
        Holiday {
            name: "国庆节、中秋节",
            first_day_off: day!(2025, 10, 1),
            last_day_off: day!(2025, 10, 8),
            days_off: 8,
            make_up_days: &[day!(2025, 9, 28), day!(2025, 10, 11)],
        },
    ],
};
