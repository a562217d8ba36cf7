//! 2024: 国务院办公厅关于2024年部分节假日安排的通知, 国办发明电〔2023〕7号, 2023-10-25.
//! Each holiday below quotes its line of the notice.

use super::{Arrangement, Holiday, Notice};

pub(super) const ARRANGEMENT: Arrangement = Arrangement {
    year: 2024,
    notice: Notice {
        title: "国务院办公厅关于2024年部分节假日安排的通知",
        number: "国办发明电〔2023〕7号",
        issued: day!(2023, 10, 25),
        url: "https://www.gov.cn/zhengce/content/202310/content_6911527.htm",
    },
    holidays: &[
        // 一、元旦：1月1日放假，与周末连休。
        Holiday {
            name: "元旦",
            first_day_off: day!(2024, 1, 1),
            last_day_off: day!(2024, 1, 1),
            days_off: 1,
            make_up_days: &[],
        },
        // 二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
        // (The notice only encourages a day off on 除夕, 2月9日: it stays a working day.)
        Holiday {
            name: "春节",
            first_day_off: day!(2024, 2, 10),
            last_day_off: day!(2024, 2, 17),
            days_off: 8,
            make_up_days: &[day!(2024, 2, 4), day!(2024, 2, 18)],
        },
        // 三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
        Holiday {
            name: "清明节",
            first_day_off: day!(2024, 4, 4),
            last_day_off: day!(2024, 4, 6),
            days_off: 3,
            make_up_days: &[day!(2024, 4, 7)],
        },
        // 四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
        Holiday {
            name: "劳动节",
            first_day_off: day!(2024, 5, 1),
            last_day_off: day!(2024, 5, 5),
            days_off: 5,
            make_up_days: &[day!(2024, 4, 28), day!(2024, 5, 11)],
        },
        // 五、端午节：6月10日放假，与周末连休。
        Holiday {
            name: "端午节",
            first_day_off: day!(2024, 6, 10),
            last_day_off: day!(2024, 6, 10),
            days_off: 1,
            make_up_days: &[],
        },
        // 六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
        Holiday {
            name: "中秋节",
            first_day_off: day!(2024, 9, 15),
            last_day_off: day!(2024, 9, 17),
            days_off: 3,
            make_up_days: &[day!(2024, 9, 14)],
        },
        // 七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
        Holiday {
            name: "国庆节",
            first_day_off: day!(2024, 10, 1),
            last_day_off: day!(2024, 10, 7),
            days_off: 7,
            make_up_days: &[day!(2024, 9, 29), day!(2024, 10, 12)],
        },
    ],
};
