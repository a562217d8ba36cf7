//! 2026: 国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号, 2025-11-04.
//! Each holiday below quotes its line of the notice.

use super::{Arrangement, Holiday, Notice};

pub(super) const ARRANGEMENT: Arrangement = Arrangement {
    year: 2026,
    notice: Notice {
        title: "国务院办公厅关于2026年部分节假日安排的通知",
        number: "国办发明电〔2025〕7号",
        issued: day!(2025, 11, 4),
        url: "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
    },
    holidays: &[
        // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
        Holiday {
            name: "元旦",
            first_day_off: day!(2026, 1, 1),
            last_day_off: day!(2026, 1, 3),
            days_off: 3,
            make_up_days: &[day!(2026, 1, 4)],
        },
        // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，
        // 共9天。2月14日（周六）、2月28日（周六）上班。
        Holiday {
            name: "春节",
            first_day_off: day!(2026, 2, 15),
            last_day_off: day!(2026, 2, 23),
            days_off: 9,
            make_up_days: &[day!(2026, 2, 14), day!(2026, 2, 28)],
        },
        // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
        Holiday {
            name: "清明节",
            first_day_off: day!(2026, 4, 4),
            last_day_off: day!(2026, 4, 6),
            days_off: 3,
            make_up_days: &[],
        },
        // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
        Holiday {
            name: "劳动节",
            first_day_off: day!(2026, 5, 1),
            last_day_off: day!(2026, 5, 5),
            days_off: 5,
            make_up_days: &[day!(2026, 5, 9)],
        },
        // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
        Holiday {
            name: "端午节",
            first_day_off: day!(2026, 6, 19),
            last_day_off: day!(2026, 6, 21),
            days_off: 3,
            make_up_days: &[],
        },
        // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
        Holiday {
            name: "中秋节",
            first_day_off: day!(2026, 9, 25),
            last_day_off: day!(2026, 9, 27),
            days_off: 3,
            make_up_days: &[],
        },
        // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、
        // 10月10日（周六）上班。
        Holiday {
            name: "国庆节",
            first_day_off: day!(2026, 10, 1),
            last_day_off: day!(2026, 10, 7),
            days_off: 7,
            make_up_days: &[day!(2026, 9, 20), day!(2026, 10, 10)],
        },
    ],
};
