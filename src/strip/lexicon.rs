//! The boilerplate lexicon: general Chinese web-page furniture, in simplified and
//! traditional forms, each entry with the position rule under which it condemns a line.
//!
//! Nothing here names a particular site: every entry is vocabulary that any Chinese news,
//! portal, forum or government page uses for its furniture (editor credits, source
//! lines, share widgets, licence footers, feed headers).

use std::sync::OnceLock;

use crate::convert::TsChars;

/// Where a lexicon entry must occur, and how much line around it is tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// A field label at the head of the line (`责任编辑：`, `来源：`, `发布时间`): the line
    /// is a metadata line when the entry starts it and the line is not long prose.
    Head,
    /// A widget or navigation word (`分享`, `登录`, `打印`): condemns only a short line
    /// without clause punctuation.
    Widget,
    /// Licence and copyright furniture (`ICP备`, `公网安备`, `版权所有`): condemns any
    /// line that is not long prose.
    Strong,
    /// A section header that ends the article (`相关推荐`, `网友评论`): when it is the
    /// whole line (bar counts and decoration), the line goes and weak lines after it go.
    Terminator,
    /// A legal term (`版权`, `转载`, `授权`…): with a self-reference (`本网`, `本站`…) in
    /// the same line it makes a copyright or reprint notice.
    Legal,
    /// A self-reference of a site (`本网`, `本站`, `本报`…).
    SelfRef,
    /// Link text (`http`, `www.`, `.com`).
    Link,
}

/// Legal terms; entries containing one count as a legal hit too.
const LEGAL: &[&str] = &[
    "版权",
    "版權",
    "转载",
    "轉載",
    "授权",
    "授權",
    "著作权",
    "著作權",
    "免责",
    "免責",
    "侵权",
    "侵權",
    "不代表",
    "法律责任",
    "法律責任",
    "不承担",
    "不承擔",
];

/// Self-references; entries containing one count as a self-reference too.
const SELF_REFS: &[&str] = &[
    "本网",
    "本網",
    "本站",
    "本报",
    "本報",
    "本刊",
    "本社",
    "本平台",
    "本公众号",
    "本文",
    "本頁",
    "本页",
];

/// Link text.
const LINKS: &[&str] = &["http", "www.", ".com", ".cn/", ".html", ".htm"];

/// `(entry, rule)`; traditional forms are listed beside the simplified ones (matching
/// folds traditional characters, see [`TsFold`], so other traditional spellings of an
/// entry need no entry of their own; entries of the same folded form are kept once).
const ENTRIES: &[(&str, Rule)] = &[
    // --- editor, author and source credits
    ("责任编辑", Rule::Head),
    ("責任編輯", Rule::Head),
    ("责编", Rule::Head),
    ("責編", Rule::Head),
    ("编辑：", Rule::Head),
    ("編輯：", Rule::Head),
    ("编辑:", Rule::Head),
    ("編輯:", Rule::Head),
    ("编辑 ：", Rule::Head),
    ("編輯 ：", Rule::Head),
    ("编辑/", Rule::Head),
    ("編輯/", Rule::Head),
    ("值班编辑", Rule::Head),
    ("值班編輯", Rule::Head),
    ("责任校对", Rule::Head),
    ("責任校對", Rule::Head),
    ("校对：", Rule::Head),
    ("校對：", Rule::Head),
    ("审核：", Rule::Head),
    ("審核：", Rule::Head),
    ("審覈：", Rule::Head),
    ("审校", Rule::Head),
    ("審校", Rule::Head),
    ("终审", Rule::Head),
    ("終審", Rule::Head),
    ("监制", Rule::Head),
    ("監製", Rule::Head),
    ("来源：", Rule::Head),
    ("來源：", Rule::Head),
    ("来源:", Rule::Head),
    ("來源:", Rule::Head),
    ("来源 ：", Rule::Head),
    ("來源 ：", Rule::Head),
    ("文章来源", Rule::Head),
    ("文章來源", Rule::Head),
    ("稿件来源", Rule::Head),
    ("稿件來源", Rule::Head),
    ("新闻来源", Rule::Head),
    ("新聞來源", Rule::Head),
    ("信息来源", Rule::Head),
    ("信息來源", Rule::Head),
    ("资料来源", Rule::Head),
    ("資料來源", Rule::Head),
    ("本文来源", Rule::Head),
    ("本文來源", Rule::Head),
    ("图片来源", Rule::Head),
    ("圖片來源", Rule::Head),
    ("稿源", Rule::Head),
    ("作者：", Rule::Head),
    ("作者:", Rule::Head),
    ("作者 ：", Rule::Head),
    ("文/", Rule::Head),
    ("撰文：", Rule::Head),
    ("摄影：", Rule::Head),
    ("攝影：", Rule::Head),
    ("记者：", Rule::Head),
    ("記者：", Rule::Head),
    ("通讯员：", Rule::Head),
    ("通訊員：", Rule::Head),
    ("原标题", Rule::Head),
    ("原標題", Rule::Head),
    ("核心提示", Rule::Head),
    ("导读：", Rule::Head),
    ("導讀：", Rule::Head),
    ("摘要：", Rule::Head),
    // --- dates, counters, font controls
    ("发布时间", Rule::Head),
    ("發布時間", Rule::Head),
    ("發佈時間", Rule::Head),
    ("发布日期", Rule::Head),
    ("發布日期", Rule::Head),
    ("發佈日期", Rule::Head),
    ("发表时间", Rule::Head),
    ("發表時間", Rule::Head),
    ("发表于", Rule::Head),
    ("發表於", Rule::Head),
    ("发稿时间", Rule::Head),
    ("發稿時間", Rule::Head),
    ("更新时间", Rule::Head),
    ("更新時間", Rule::Head),
    ("时间：", Rule::Head),
    ("時間：", Rule::Head),
    ("时间:", Rule::Head),
    ("時間:", Rule::Head),
    ("日期：", Rule::Head),
    ("日期:", Rule::Head),
    ("发布：", Rule::Head),
    ("發佈：", Rule::Head),
    ("发布单位", Rule::Head),
    ("發佈單位", Rule::Head),
    ("發布單位", Rule::Head),
    ("浏览次数", Rule::Head),
    ("瀏覽次數", Rule::Head),
    ("浏览量", Rule::Head),
    ("瀏覽量", Rule::Head),
    ("浏览：", Rule::Head),
    ("瀏覽：", Rule::Head),
    ("阅读次数", Rule::Head),
    ("閱讀次數", Rule::Head),
    ("阅读量", Rule::Head),
    ("閱讀量", Rule::Head),
    ("阅读：", Rule::Head),
    ("閱讀：", Rule::Head),
    ("阅读(", Rule::Head),
    ("閱讀(", Rule::Head),
    ("点击数", Rule::Head),
    ("點擊數", Rule::Head),
    ("点击量", Rule::Head),
    ("點擊量", Rule::Head),
    ("点击：", Rule::Head),
    ("點擊：", Rule::Head),
    ("人气：", Rule::Head),
    ("人氣：", Rule::Head),
    ("字号", Rule::Head),
    ("字號", Rule::Head),
    ("字体：", Rule::Head),
    ("字體：", Rule::Head),
    ("放大字体", Rule::Head),
    ("放大字體", Rule::Head),
    ("字体大小", Rule::Head),
    ("字體大小", Rule::Head),
    ("页面功能", Rule::Head),
    ("頁面功能", Rule::Head),
    ("正在阅读", Rule::Head),
    ("正在閱讀", Rule::Head),
    ("标签：", Rule::Head),
    ("標籤：", Rule::Head),
    ("标签:", Rule::Head),
    ("標籤:", Rule::Head),
    ("关键词：", Rule::Head),
    ("關鍵詞：", Rule::Head),
    ("关键字：", Rule::Head),
    ("關鍵字：", Rule::Head),
    ("TAG", Rule::Head),
    ("Tags", Rule::Head),
    // --- declarations and legal notices
    ("免责声明", Rule::Head),
    ("免責聲明", Rule::Head),
    ("版权声明", Rule::Head),
    ("版權聲明", Rule::Head),
    ("法律声明", Rule::Head),
    ("法律聲明", Rule::Head),
    ("特别声明", Rule::Head),
    ("特別聲明", Rule::Head),
    ("郑重声明", Rule::Head),
    ("鄭重聲明", Rule::Head),
    ("声明：", Rule::Head),
    ("聲明：", Rule::Head),
    ("转载请注明", Rule::Head),
    ("轉載請註明", Rule::Head),
    ("轉載請注明", Rule::Head),
    // --- contact furniture
    ("联系电话", Rule::Head),
    ("聯絡電話", Rule::Head),
    ("聯繫電話", Rule::Head),
    ("联系方式", Rule::Head),
    ("聯繫方式", Rule::Head),
    ("聯絡方式", Rule::Head),
    ("联系我们", Rule::Head),
    ("聯繫我們", Rule::Head),
    ("聯絡我們", Rule::Head),
    ("电话：", Rule::Head),
    ("電話：", Rule::Head),
    ("电话:", Rule::Head),
    ("電話:", Rule::Head),
    ("热线", Rule::Head),
    ("熱線", Rule::Head),
    ("客服", Rule::Head),
    ("传真", Rule::Head),
    ("傳真", Rule::Head),
    ("邮编", Rule::Head),
    ("郵編", Rule::Head),
    ("地址：", Rule::Head),
    ("地址:", Rule::Head),
    ("邮箱", Rule::Head),
    ("郵箱", Rule::Head),
    ("电子邮件", Rule::Head),
    ("電子郵件", Rule::Head),
    ("E-mail", Rule::Head),
    ("Email", Rule::Head),
    ("主办单位", Rule::Head),
    ("主辦單位", Rule::Head),
    ("主办：", Rule::Head),
    ("主辦：", Rule::Head),
    ("承办单位", Rule::Head),
    ("承辦單位", Rule::Head),
    ("协办单位", Rule::Head),
    ("協辦單位", Rule::Head),
    ("技术支持", Rule::Head),
    ("技術支持", Rule::Head),
    ("技術支援", Rule::Head),
    ("网站地图", Rule::Head),
    ("網站地圖", Rule::Head),
    ("关于我们", Rule::Head),
    ("關於我們", Rule::Head),
    ("广告服务", Rule::Head),
    ("廣告服務", Rule::Head),
    ("隐私政策", Rule::Head),
    ("隱私政策", Rule::Head),
    ("隐私权", Rule::Head),
    ("隱私權", Rule::Head),
    ("服务条款", Rule::Head),
    ("服務條款", Rule::Head),
    ("使用条款", Rule::Head),
    ("使用條款", Rule::Head),
    ("友情链接", Rule::Head),
    ("友情鏈接", Rule::Head),
    ("友情連結", Rule::Head),
    // --- breadcrumbs and paging
    ("当前位置", Rule::Head),
    ("當前位置", Rule::Head),
    ("您的位置", Rule::Head),
    ("你的位置", Rule::Head),
    ("您现在的位置", Rule::Head),
    ("您現在的位置", Rule::Head),
    ("您所在的位置", Rule::Head),
    ("您所在位置", Rule::Head),
    ("所在位置", Rule::Head),
    ("目前位置", Rule::Head),
    ("上一篇", Rule::Head),
    ("下一篇", Rule::Head),
    ("上一页", Rule::Head),
    ("下一页", Rule::Head),
    ("上一頁", Rule::Head),
    ("下一頁", Rule::Head),
    ("上一条", Rule::Head),
    ("上一條", Rule::Head),
    ("下一条", Rule::Head),
    ("下一條", Rule::Head),
    ("上一則", Rule::Head),
    ("下一則", Rule::Head),
    ("上一版", Rule::Head),
    ("下一版", Rule::Head),
    ("本文链接", Rule::Head),
    ("本文鏈接", Rule::Head),
    ("本文網址", Rule::Head),
    ("原文链接", Rule::Head),
    ("原文鏈接", Rule::Head),
    ("原文網址", Rule::Head),
    ("返回顶部", Rule::Widget),
    ("返回頂部", Rule::Widget),
    ("回到顶部", Rule::Widget),
    ("回到頂部", Rule::Widget),
    ("返回首页", Rule::Widget),
    ("返回首頁", Rule::Widget),
    ("返回列表", Rule::Widget),
    ("返回目录", Rule::Widget),
    ("返回目錄", Rule::Widget),
    ("返回", Rule::Widget),
    // --- share, login and page widgets
    ("分享", Rule::Widget),
    ("转发", Rule::Widget),
    ("轉發", Rule::Widget),
    ("转播", Rule::Widget),
    ("轉播", Rule::Widget),
    ("扫一扫", Rule::Widget),
    ("掃一掃", Rule::Widget),
    ("扫描", Rule::Widget),
    ("掃描", Rule::Widget),
    ("扫码", Rule::Widget),
    ("掃碼", Rule::Widget),
    ("二维码", Rule::Widget),
    ("二維碼", Rule::Widget),
    ("长按识别", Rule::Widget),
    ("長按識別", Rule::Widget),
    ("微信", Rule::Widget),
    ("微博", Rule::Widget),
    ("朋友圈", Rule::Widget),
    ("QQ空间", Rule::Widget),
    ("QQ空間", Rule::Widget),
    ("QQ好友", Rule::Widget),
    ("Qzone", Rule::Widget),
    ("Facebook", Rule::Widget),
    ("Twitter", Rule::Widget),
    ("LINE", Rule::Widget),
    ("客户端", Rule::Widget),
    ("客戶端", Rule::Widget),
    ("APP", Rule::Widget),
    ("登录", Rule::Widget),
    ("登錄", Rule::Widget),
    ("登入", Rule::Widget),
    ("登陆", Rule::Widget),
    ("登陸", Rule::Widget),
    ("注册", Rule::Widget),
    ("註冊", Rule::Widget),
    ("退出", Rule::Widget),
    ("注销", Rule::Widget),
    ("註銷", Rule::Widget),
    ("会员", Rule::Widget),
    ("會員", Rule::Widget),
    ("密码", Rule::Widget),
    ("密碼", Rule::Widget),
    ("验证码", Rule::Widget),
    ("驗證碼", Rule::Widget),
    ("打印", Rule::Widget),
    ("列印", Rule::Widget),
    ("关闭", Rule::Widget),
    ("關閉", Rule::Widget),
    ("收藏", Rule::Widget),
    ("书签", Rule::Widget),
    ("書籤", Rule::Widget),
    ("评论", Rule::Widget),
    ("評論", Rule::Widget),
    ("留言", Rule::Widget),
    ("回复", Rule::Widget),
    ("回覆", Rule::Widget),
    ("跟帖", Rule::Widget),
    ("楼主", Rule::Widget),
    ("樓主", Rule::Widget),
    ("发帖", Rule::Widget),
    ("發帖", Rule::Widget),
    ("点赞", Rule::Widget),
    ("點贊", Rule::Widget),
    ("點讚", Rule::Widget),
    ("点击", Rule::Widget),
    ("點擊", Rule::Widget),
    ("举报", Rule::Widget),
    ("舉報", Rule::Widget),
    ("纠错", Rule::Widget),
    ("糾錯", Rule::Widget),
    ("投稿", Rule::Widget),
    ("订阅", Rule::Widget),
    ("訂閱", Rule::Widget),
    ("关注", Rule::Widget),
    ("關注", Rule::Widget),
    ("加载", Rule::Widget),
    ("加載", Rule::Widget),
    ("載入", Rule::Widget),
    ("更多", Rule::Widget),
    ("全文", Rule::Widget),
    ("展开", Rule::Widget),
    ("展開", Rule::Widget),
    ("下载", Rule::Widget),
    ("下載", Rule::Widget),
    ("搜索", Rule::Widget),
    ("搜尋", Rule::Widget),
    ("检索", Rule::Widget),
    ("檢索", Rule::Widget),
    ("帮助", Rule::Widget),
    ("幫助", Rule::Widget),
    ("首页", Rule::Widget),
    ("首頁", Rule::Widget),
    ("主页", Rule::Widget),
    ("主頁", Rule::Widget),
    ("导航", Rule::Widget),
    ("導航", Rule::Widget),
    ("频道", Rule::Widget),
    ("頻道", Rule::Widget),
    ("栏目", Rule::Widget),
    ("欄目", Rule::Widget),
    ("专题", Rule::Widget),
    ("專題", Rule::Widget),
    ("无障碍", Rule::Widget),
    ("無障礙", Rule::Widget),
    ("关怀版", Rule::Widget),
    ("關懷版", Rule::Widget),
    ("简体", Rule::Widget),
    ("簡體", Rule::Widget),
    ("繁体", Rule::Widget),
    ("繁體", Rule::Widget),
    ("手机版", Rule::Widget),
    ("手機版", Rule::Widget),
    ("English", Rule::Widget),
    ("广告", Rule::Widget),
    ("廣告", Rule::Widget),
    ("推广", Rule::Widget),
    ("推廣", Rule::Widget),
    ("赞助", Rule::Widget),
    ("贊助", Rule::Widget),
    ("设为首页", Rule::Widget),
    ("設爲首頁", Rule::Widget),
    ("設為首頁", Rule::Widget),
    ("网站", Rule::Widget),
    ("網站", Rule::Widget),
    ("本站", Rule::Widget),
    ("博客", Rule::Widget),
    ("论坛", Rule::Widget),
    ("論壇", Rule::Widget),
    ("社区", Rule::Widget),
    ("社區", Rule::Widget),
    ("排行", Rule::Widget),
    ("热门", Rule::Widget),
    ("熱門", Rule::Widget),
    ("热点", Rule::Widget),
    ("熱點", Rule::Widget),
    ("推荐", Rule::Widget),
    ("推薦", Rule::Widget),
    ("要闻", Rule::Widget),
    ("要聞", Rule::Widget),
    ("快讯", Rule::Widget),
    ("快訊", Rule::Widget),
    ("图片", Rule::Widget),
    ("圖片", Rule::Widget),
    ("视频", Rule::Widget),
    ("視頻", Rule::Widget),
    ("影音", Rule::Widget),
    ("播放", Rule::Widget),
    ("心情", Rule::Widget),
    ("表情", Rule::Widget),
    ("在线", Rule::Widget),
    ("在線", Rule::Widget),
    ("访问", Rule::Widget),
    ("訪問", Rule::Widget),
    ("访客", Rule::Widget),
    ("訪客", Rule::Widget),
    ("浏览器", Rule::Widget),
    ("瀏覽器", Rule::Widget),
    ("上一篇", Rule::Widget),
    ("下一篇", Rule::Widget),
    // --- licence and copyright footers
    ("ICP备", Rule::Strong),
    ("ICP備", Rule::Strong),
    ("ICP证", Rule::Strong),
    ("ICP證", Rule::Strong),
    ("ICP许可", Rule::Strong),
    ("ICP許可", Rule::Strong),
    ("公网安备", Rule::Strong),
    ("公網安備", Rule::Strong),
    ("网安备", Rule::Strong),
    ("網安備", Rule::Strong),
    ("增值电信业务经营许可证", Rule::Strong),
    ("增值電信業務經營許可證", Rule::Strong),
    ("互联网新闻信息服务许可证", Rule::Strong),
    ("互聯網新聞信息服務許可證", Rule::Strong),
    ("信息网络传播视听节目许可证", Rule::Strong),
    ("信息網絡傳播視聽節目許可證", Rule::Strong),
    ("网络文化经营许可证", Rule::Strong),
    ("網絡文化經營許可證", Rule::Strong),
    ("广播电视节目制作经营许可证", Rule::Strong),
    ("廣播電視節目製作經營許可證", Rule::Strong),
    ("不良信息举报", Rule::Strong),
    ("不良信息舉報", Rule::Strong),
    ("违法和不良信息", Rule::Strong),
    ("違法和不良信息", Rule::Strong),
    ("有害信息举报", Rule::Strong),
    ("有害信息舉報", Rule::Strong),
    ("版权所有", Rule::Strong),
    ("版權所有", Rule::Strong),
    ("版权归", Rule::Strong),
    ("版權歸", Rule::Strong),
    ("All Rights Reserved", Rule::Strong),
    ("Copyright", Rule::Strong),
    ("©", Rule::Strong),
    ("Powered by", Rule::Strong),
    // --- section headers that end an article
    ("相关推荐", Rule::Terminator),
    ("相關推薦", Rule::Terminator),
    ("相关阅读", Rule::Terminator),
    ("相關閱讀", Rule::Terminator),
    ("相关新闻", Rule::Terminator),
    ("相關新聞", Rule::Terminator),
    ("相关文章", Rule::Terminator),
    ("相關文章", Rule::Terminator),
    ("相关内容", Rule::Terminator),
    ("相關內容", Rule::Terminator),
    ("相关链接", Rule::Terminator),
    ("相關鏈接", Rule::Terminator),
    ("相關連結", Rule::Terminator),
    ("相关专题", Rule::Terminator),
    ("相關專題", Rule::Terminator),
    ("相关报道", Rule::Terminator),
    ("相關報道", Rule::Terminator),
    ("相關報導", Rule::Terminator),
    ("相关搜索", Rule::Terminator),
    ("相關搜索", Rule::Terminator),
    ("延伸阅读", Rule::Terminator),
    ("延伸閱讀", Rule::Terminator),
    ("推荐阅读", Rule::Terminator),
    ("推薦閱讀", Rule::Terminator),
    ("热点推荐", Rule::Terminator),
    ("熱點推薦", Rule::Terminator),
    ("热门推荐", Rule::Terminator),
    ("熱門推薦", Rule::Terminator),
    ("精彩推荐", Rule::Terminator),
    ("精彩推薦", Rule::Terminator),
    ("最新推荐", Rule::Terminator),
    ("最新推薦", Rule::Terminator),
    ("今日推荐", Rule::Terminator),
    ("今日推薦", Rule::Terminator),
    ("为你推荐", Rule::Terminator),
    ("爲你推薦", Rule::Terminator),
    ("為你推薦", Rule::Terminator),
    ("为您推荐", Rule::Terminator),
    ("爲您推薦", Rule::Terminator),
    ("為您推薦", Rule::Terminator),
    ("猜你喜欢", Rule::Terminator),
    ("猜你喜歡", Rule::Terminator),
    ("大家都在看", Rule::Terminator),
    ("热门文章", Rule::Terminator),
    ("熱門文章", Rule::Terminator),
    ("最新文章", Rule::Terminator),
    ("热点新闻", Rule::Terminator),
    ("熱點新聞", Rule::Terminator),
    ("热门新闻", Rule::Terminator),
    ("熱門新聞", Rule::Terminator),
    ("更多新闻", Rule::Terminator),
    ("更多新聞", Rule::Terminator),
    ("往期回顾", Rule::Terminator),
    ("往期回顧", Rule::Terminator),
    ("网友评论", Rule::Terminator),
    ("網友評論", Rule::Terminator),
    ("发表评论", Rule::Terminator),
    ("發表評論", Rule::Terminator),
    ("我要评论", Rule::Terminator),
    ("我要評論", Rule::Terminator),
    ("最新评论", Rule::Terminator),
    ("最新評論", Rule::Terminator),
    ("热门评论", Rule::Terminator),
    ("熱門評論", Rule::Terminator),
    ("精彩评论", Rule::Terminator),
    ("精彩評論", Rule::Terminator),
    ("文章评论", Rule::Terminator),
    ("文章評論", Rule::Terminator),
    ("全部评论", Rule::Terminator),
    ("全部評論", Rule::Terminator),
    ("评论列表", Rule::Terminator),
    ("評論列表", Rule::Terminator),
    ("查看评论", Rule::Terminator),
    ("查看評論", Rule::Terminator),
    ("用户评论", Rule::Terminator),
    ("用戶評論", Rule::Terminator),
    ("讀者評論", Rule::Terminator),
    ("读者评论", Rule::Terminator),
    ("我要留言", Rule::Terminator),
    ("发表留言", Rule::Terminator),
    ("發表留言", Rule::Terminator),
    ("网友留言", Rule::Terminator),
    ("網友留言", Rule::Terminator),
    ("阅读排行", Rule::Terminator),
    ("閱讀排行", Rule::Terminator),
    ("点击排行", Rule::Terminator),
    ("點擊排行", Rule::Terminator),
    ("评论排行", Rule::Terminator),
    ("評論排行", Rule::Terminator),
    ("新闻排行", Rule::Terminator),
    ("新聞排行", Rule::Terminator),
    ("热门排行", Rule::Terminator),
    ("熱門排行", Rule::Terminator),
    ("排行榜", Rule::Terminator),
    ("精彩图片", Rule::Terminator),
    ("精彩圖片", Rule::Terminator),
    ("图片新闻", Rule::Terminator),
    ("圖片新聞", Rule::Terminator),
    ("栏目精粹", Rule::Terminator),
    ("欄目精粹", Rule::Terminator),
    ("热评文章", Rule::Terminator),
    ("熱評文章", Rule::Terminator),
    ("我来说两句", Rule::Terminator),
    ("我來說兩句", Rule::Terminator),
    ("回复线索", Rule::Terminator),
    ("回覆線索", Rule::Terminator),
    ("相关帖子", Rule::Terminator),
    ("相關帖子", Rule::Terminator),
    ("相关主题", Rule::Terminator),
    ("相關主題", Rule::Terminator),
    ("全部回复", Rule::Terminator),
    ("全部回覆", Rule::Terminator),
    ("最新回复", Rule::Terminator),
    ("最新回覆", Rule::Terminator),
    ("网友回复", Rule::Terminator),
    ("網友回覆", Rule::Terminator),
    ("发表回复", Rule::Terminator),
    ("發表回覆", Rule::Terminator),
    ("快速回复", Rule::Terminator),
    ("快速回復", Rule::Terminator),
    ("快速回覆", Rule::Terminator),
    ("回复本帖", Rule::Terminator),
    ("回覆本帖", Rule::Terminator),
    ("回复本贴", Rule::Terminator),
    ("回覆本貼", Rule::Terminator),
    ("网友点评", Rule::Terminator),
    ("網友點評", Rule::Terminator),
    ("读者留言", Rule::Terminator),
    ("讀者留言", Rule::Terminator),
];

/// The compiled lexicon.
pub(crate) struct Lexicon {
    /// Every entry.
    full: Automaton_,
    /// Only the entries that can condemn prose (`Strong`, `Legal`, `SelfRef`, `Link`): a
    /// much smaller matcher, enough for prose lines.
    prose: Automaton_,
}

/// One lexicon hit in a line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// The entry: the first listed of those with the hit's folded form (for a
    /// traditional spelling, as a rule its simplified entry).
    pub entry: &'static str,
    /// Its rule.
    pub rule: Rule,
    /// Byte offset of the hit in the line.
    pub start: usize,
    /// Byte offset just past the hit.
    pub end: usize,
    /// The entry is or contains a legal term.
    pub legal: bool,
    /// The entry is or contains a site self-reference.
    pub self_ref: bool,
}

type Entry = (&'static str, Rule, bool, bool);

/// Leftmost-longest matching of a few hundred short entries, by first character: a
/// small open-addressing table (a few KiB, so it stays in L1 cache on CJK text) maps a
/// character to the entries starting with it, longest first; each position of the line
/// costs one probe, and candidates are compared only when the first character matches.
/// ASCII letters compare case-insensitively, and traditional characters as their
/// simplified forms ([`TsFold`]): entries and line are compared in folded form. Same
/// results as an Aho-Corasick automaton with leftmost-longest semantics over the
/// folded line.
struct Automaton_ {
    /// Entries grouped by folded first character, longest first in a group; of entries
    /// with the same folded form only the first listed is kept.
    table: Vec<Entry>,
    /// Each entry of `table` in folded form (same length in bytes).
    folded: Vec<String>,
    /// The fold.
    fold: TsFold,
    /// Open-addressing slots: (first char as u32, group start, group length); key 0 =
    /// empty.
    slots: Vec<(u32, u16, u16)>,
    mask: usize,
    /// Bit per BMP code point: some entry starts with its fold (fast reject). Word
    /// `cp / 64` of a three-byte character is `(b0 & 0x0F) << 6 | (b1 & 0x3F)`, its bit
    /// `b2 & 0x3F`.
    starts: Box<[u64; 1024]>,
    /// Per entry: a Latin word (only ASCII letters, not link text), found only as a
    /// whole word: `APP` is not found in `Happy`, nor `LINE` in `online`.
    whole_word: Vec<bool>,
}

#[inline]
fn slot_of(c: u32, mask: usize) -> usize {
    (c.wrapping_mul(0x9E37_79B1) >> 16) as usize & mask
}

/// The lexicon's fold: ASCII letters lower-cased, and traditional → simplified one
/// character at a time ([`TsChars`]: a folded line has the same byte offsets). The
/// strip stage runs before conversion; matching folded text finds a traditional page's
/// furniture as the converted page's (`發布：` and `發佈：` both as `发布：`), so
/// cleaning twice strips what cleaning once did.
#[derive(Clone, Copy)]
struct TsFold(&'static TsChars);

impl TsFold {
    fn get() -> TsFold {
        TsFold(TsChars::get())
    }

    /// The fold of code point `cp` (ASCII letters lower-cased).
    #[inline]
    fn fold(&self, cp: u32) -> u32 {
        if cp < 0x80 {
            (cp as u8).to_ascii_lowercase() as u32
        } else {
            self.0.simplified(cp)
        }
    }

    /// `s` folded.
    fn fold_str(&self, s: &str) -> String {
        s.chars()
            .map(|c| char::from_u32(self.fold(c as u32)).unwrap_or(c))
            .collect()
    }

    /// Whether `cand` (bytes of a line, from a character boundary) folds to `folded`
    /// (an entry's folded form, as long). Compared byte by byte from the end, where
    /// most candidates differ; where a byte differs, the line's character there must
    /// fold to the entry's: an ASCII letter lower-cased, a three-byte character by the
    /// table.
    #[inline]
    fn folds_to(&self, cand: &[u8], folded: &[u8]) -> bool {
        if cand.len() != folded.len() {
            return false;
        }
        let mut i = cand.len();
        while i > 0 {
            i -= 1;
            let (Some(&x), Some(&y)) = (cand.get(i), folded.get(i)) else {
                return false;
            };
            if x == y {
                continue;
            }
            if y < 0x80 {
                if x.to_ascii_lowercase() != y {
                    return false;
                }
                continue;
            }
            // The entry's character holding byte `i`: only three-byte ones fold.
            let mut s = i;
            while s > 0 && folded.get(s).is_some_and(|b| b & 0xC0 == 0x80) {
                s -= 1;
            }
            let (Some(&[a0, a1, a2]), Some(&[b0, b1, b2])) =
                (cand.get(s..s + 3), folded.get(s..s + 3))
            else {
                return false;
            };
            if a0 & 0xF0 != 0xE0 || b0 & 0xF0 != 0xE0 || a1 & 0xC0 != 0x80 || a2 & 0xC0 != 0x80 {
                return false;
            }
            let three = |b0: u8, b1: u8, b2: u8| {
                ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F)
            };
            if self.fold(three(a0, a1, a2)) != three(b0, b1, b2) {
                return false;
            }
            i = s;
        }
        true
    }
}

impl Automaton_ {
    fn build(entries: impl Iterator<Item = (&'static str, Rule)>) -> Automaton_ {
        let fold = TsFold::get();
        let mut table: Vec<Entry> = Vec::new();
        let mut folded = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (e, r) in entries {
            let f = fold.fold_str(e);
            if seen.insert(f.clone()) {
                let legal = LEGAL.iter().any(|t| e.contains(t));
                let self_ref = SELF_REFS.iter().any(|t| e.contains(t));
                table.push((e, r, legal, self_ref));
                folded.push(f);
            }
        }
        // Group by folded first char; longest first; stable for equal lengths.
        let mut order: Vec<usize> = (0..table.len()).collect();
        let first_of = |f: &str| f.chars().next().map_or(0, |c| c as u32);
        order.sort_by(|&a, &b| {
            first_of(&folded[a])
                .cmp(&first_of(&folded[b]))
                .then(folded[b].len().cmp(&folded[a].len()))
        });
        let table: Vec<Entry> = order.iter().map(|&i| table[i]).collect();
        let folded: Vec<String> = order.iter().map(|&i| folded[i].clone()).collect();
        let first = |i: usize| first_of(&folded[i]);
        let mut cap = 64;
        while cap < table.len() * 4 {
            cap *= 2;
        }
        let mask = cap - 1;
        let mut slots = vec![(0u32, 0u16, 0u16); cap];
        // Every BMP code point whose fold starts an entry: the entries' first
        // characters, upper-case ASCII letters, and the traditional characters that
        // fold to one.
        let bit = |c: u32| (c as usize / 64, 1u64 << (c % 64));
        let mut starts = Box::new([0u64; 0x10000 / 64]);
        for i in 0..table.len() {
            let c = first(i);
            for c in [
                c,
                char::from_u32(c).map_or(c, |ch| ch.to_ascii_uppercase() as u32),
            ] {
                if c < 0x10000 {
                    starts[bit(c).0] |= bit(c).1;
                }
            }
        }
        let firsts = starts.clone();
        for &(t, s) in fold.0.pairs() {
            if firsts[bit(s as u32).0] & bit(s as u32).1 != 0 {
                starts[bit(t as u32).0] |= bit(t as u32).1;
            }
        }
        let whole_word = table
            .iter()
            .map(|e| e.1 != Rule::Link && e.0.bytes().all(|b| b.is_ascii_alphabetic()))
            .collect();
        let mut i = 0;
        while i < table.len() {
            let c = first(i);
            let mut j = i;
            while j < table.len() && first(j) == c {
                j += 1;
            }
            let mut k = slot_of(c, mask);
            while slots[k].0 != 0 {
                k = (k + 1) & mask;
            }
            slots[k] = (c, i as u16, (j - i) as u16);
            i = j;
        }
        Automaton_ {
            table,
            folded,
            fold,
            slots,
            mask,
            starts,
            whole_word,
        }
    }

    /// The group of entries starting with `c` (already folded): its start and length.
    #[inline]
    fn group(&self, c: u32) -> (usize, usize) {
        let mut k = slot_of(c, self.mask);
        loop {
            let (key, start, len) = self.slots[k];
            if key == c {
                return (start as usize, len as usize);
            }
            if key == 0 {
                return (0, 0);
            }
            k = (k + 1) & self.mask;
        }
    }

    fn hits(&self, line: &str, mut f: impl FnMut(Hit)) {
        let b = line.as_bytes();
        let mut pos = 0;
        while pos < b.len() {
            // `pos` is always on a char boundary of valid UTF-8.
            let b0 = b[pos];
            // Fast reject of a three-byte character (Han, CJK punctuation) that starts no
            // entry, on its bytes.
            if (0xE0..0xF0).contains(&b0) {
                if let Some(&[b1, b2]) = b.get(pos + 1..pos + 3) {
                    let word = ((b0 as usize & 0x0F) << 6) | (b1 as usize & 0x3F);
                    if self.starts[word] & (1 << (b2 & 0x3F)) == 0 {
                        pos += 3;
                        continue;
                    }
                }
            }
            // Decode one char.
            let (cp, len) = if b0 < 0x80 {
                (b0 as u32, 1)
            } else if b0 < 0xE0 {
                let b1 = b.get(pos + 1).copied().unwrap_or(0);
                (((b0 as u32 & 0x1F) << 6) | (b1 as u32 & 0x3F), 2)
            } else if b0 < 0xF0 {
                let b1 = b.get(pos + 1).copied().unwrap_or(0);
                let b2 = b.get(pos + 2).copied().unwrap_or(0);
                (
                    ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F),
                    3,
                )
            } else {
                (0x10000, 4) // outside the BMP: no entry starts there
            };
            if cp >= 0x10000 || self.starts[cp as usize / 64] & (1 << (cp % 64)) == 0 {
                pos += len;
                continue;
            }
            let (start, n_entries) = self.group(self.fold.fold(cp));
            let mut matched = 0;
            for i in start..start + n_entries {
                let (entry, rule, legal, self_ref) = self.table[i];
                let e = self.folded[i].as_bytes();
                let n = e.len();
                let Some(cand) = b.get(pos..pos + n) else {
                    continue;
                };
                let same = self.fold.folds_to(cand, e)
                    && !(self.whole_word[i]
                        && (pos > 0 && b[pos - 1].is_ascii_alphabetic()
                            || b.get(pos + n).is_some_and(|c| c.is_ascii_alphabetic())));
                if same {
                    f(Hit {
                        entry,
                        rule,
                        start: pos,
                        end: pos + n,
                        legal,
                        self_ref,
                    });
                    matched = n;
                    break;
                }
            }
            pos += if matched > 0 { matched } else { len };
        }
    }
}

impl Lexicon {
    /// The shared lexicon, built on first use.
    pub(crate) fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            let extra = || {
                LEGAL
                    .iter()
                    .map(|&e| (e, Rule::Legal))
                    .chain(SELF_REFS.iter().map(|&e| (e, Rule::SelfRef)))
                    .chain(LINKS.iter().map(|&e| (e, Rule::Link)))
            };
            let full = Automaton_::build(ENTRIES.iter().copied().chain(extra()));
            let prose = Automaton_::build(
                ENTRIES
                    .iter()
                    .copied()
                    .filter(|e| e.1 == Rule::Strong)
                    .chain(extra()),
            );
            Lexicon { full, prose }
        })
    }

    /// Calls `f` for each non-overlapping hit in `line`, leftmost-longest.
    pub(crate) fn hits(&self, line: &str, f: impl FnMut(Hit)) {
        self.full.hits(line, f)
    }

    /// Like [`Lexicon::hits`] but only for the rules that apply to prose lines
    /// (`Strong`, `Legal`, `SelfRef`, `Link`); other entries are not reported.
    pub(crate) fn prose_hits(&self, line: &str, f: impl FnMut(Hit)) {
        self.prose.hits(line, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry is found, as one hit over the whole of it, in each traditional
    /// spelling conversion folds into it: its OpenCC s2t, s2tw and s2hk forms, and each
    /// spelling with one character replaced by any traditional character `TSCharacters`
    /// maps to it (`發布：` and `發佈：` are both `发布：`). The strip stage runs before
    /// conversion, so a traditional page's furniture must be found as the converted
    /// page's is, or cleaning twice strips more than once (fuzzer finds: `[編輯/` kept,
    /// then `[编辑/` dropped with its neighbours; then `發布：`, which no list of
    /// spellings had).
    #[test]
    fn every_traditional_spelling_of_an_entry_is_found() {
        use crate::convert::{ConvertOptions, ConvertReport, Converter};
        let lex = Lexicon::get();
        let mut sources: std::collections::HashMap<char, Vec<char>> = Default::default();
        for (t, s) in crate::convert::char_pairs("TSCharacters") {
            if t != s && t.len_utf8() == 3 && s.len_utf8() == 3 {
                sources.entry(s).or_default().push(t);
            }
        }
        let convs = ["s2t", "s2tw", "s2hk"]
            .map(|c| Converter::with_options(ConvertOptions::config(c)).unwrap());
        let mut missing = Vec::new();
        let mut tried = 0;
        for &(e, _) in ENTRIES {
            let mut spellings: Vec<String> = convs
                .iter()
                .map(|c| c.convert(e, &mut ConvertReport::default()).into_owned())
                .collect();
            let chars: Vec<char> = e.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                for &t in sources.get(c).map_or(&[][..], |v| &v[..]) {
                    let mut v = chars.clone();
                    v[i] = t;
                    spellings.push(v.into_iter().collect());
                }
            }
            for sp in spellings {
                tried += 1;
                let mut hits = Vec::new();
                lex.hits(&sp, |h| hits.push((h.start, h.end)));
                if hits != [(0, sp.len())] {
                    missing.push(format!("{e}: {sp} -> {hits:?}"));
                }
            }
        }
        assert!(tried > 1000, "{tried}");
        assert!(
            missing.is_empty(),
            "{} of {tried} not found:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    #[test]
    fn lexicon_builds_and_finds_both_scripts() {
        let lex = Lexicon::get();
        let mut got = Vec::new();
        lex.hits("责任编辑：某 責任編輯：某 ICP备 ICP備", |h| {
            got.push(h.entry)
        });
        // Traditional text is matched in its folded form: the entry reported for
        // `責任編輯` and `ICP備` is the first one listed of that form.
        assert_eq!(got, vec!["责任编辑", "责任编辑", "ICP备", "ICP备"]);
    }

    #[test]
    fn prose_automaton_reports_only_prose_rules() {
        let lex = Lexicon::get();
        let mut got = Vec::new();
        lex.prose_hits("责任编辑：某 本站 版权所有 http://x", |h| {
            got.push((h.entry, h.rule))
        });
        assert_eq!(
            got,
            vec![
                ("本站", Rule::SelfRef),
                ("版权所有", Rule::Strong),
                ("http", Rule::Link)
            ]
        );
    }

    #[test]
    fn latin_words_match_only_as_whole_words() {
        let lex = Lexicon::get();
        for (line, want) in [
            ("Happy Together", vec![]),
            ("online shop", vec![]),
            ("Hot Tags", vec!["Tags"]),
            ("下载APP", vec!["下载", "APP"]),
            ("https://x", vec!["http"]),
        ] {
            let mut got = Vec::new();
            lex.hits(line, |h| got.push(h.entry));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn every_entry_is_non_empty() {
        assert!(ENTRIES.iter().all(|e| !e.0.is_empty()));
    }
}
