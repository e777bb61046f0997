#!/usr/bin/env python3
"""Generate src/repair/mojibake/model.bin: character costs and a bigram set for the
mojibake repairer's plausibility score.

Sources (all shippable): a hand-written list of the commonest characters (below),
jieba 0.42.1's dict.txt (MIT; word list with frequencies,
`pip download jieba==0.42.1`) and OpenCC 1.4.2's STCharacters.txt / TSCharacters.txt
(Apache-2.0) to give traditional characters the figures of their simplified forms,
and its TWPhrases.txt for the bigrams of Taiwan's own terms (the copies vendored in
src/convert/data serve), and a hand-written list of software documentation's words
(DOC_TERMS, below) for bigrams the dictionary counts rarely.

Format (little endian):
  b"ZHMJ1"
  u32 n; n x (u16 code point, u8 cost*20)           -- hanzi unigram costs
  then u32 k; k x (u16 code point, u8 1 = simplified-only, 2 = traditional-only)
  u32 m; m x (u32 key = cp1 << 16 | cp2, u8 bonus*20) -- bigrams inside words, sorted;
                                                       bonus = 0.5 + 0.3 ln(f / f_60000th),
                                                       at least 0.1, at most 3

usage: scripts/mojibake_gen.py JIEBA_DICT_TXT OPENCC_DICT_DIR > src/repair/mojibake/model.bin
"""
import math
import struct
import sys
from collections import Counter


# The commonest characters of modern written Chinese in descending order of
# frequency, written by hand (jieba's dictionary undercounts function characters
# such as 的 and 了, which matters when a lost byte has to be guessed).
TOP_GENERAL = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵"
)

# Characters of software documentation's words (manuals, commands, files), which
# the general list ranks by the frequency of all text.
TOP_TECH = (
    "件数据文件系统程序用户命令选项参数默认输出输入格式目录路径设置配置安装软件包版本服务器网络地址协议端口进程线程内存缓存错误信息返回值函数变量字符串类型对象模块接口驱动设备磁盘分区挂载权限密码登录终端窗口显示屏幕键盘鼠标打印字体编码语言环境检查测试调试执行运行启动停止重启关闭删除复制移动创建修改更新下载上传压缩解压备份恢复日志记录警告提示帮助手册说明文档例子注释请注意如果否则可以必须应该已经正在通过使用包括以及或者并且其中这些那些每个所有任何一些其他另外因此所以但是然而虽然由于为了根据按照关于对于除了之后之前同时首先然后最后"
)

TOP = TOP_GENERAL + TOP_TECH + (
    "年月日时分秒星期今天明天昨天上午下午晚上早上中午东南西北前后左右上下里外大小多少长短高低远近新旧好坏快慢冷热黑白红绿蓝黄"
)


# The rank that TOP_TECH's characters cost at most (see `main`). (On our four case
# sets 300 and 150 each repaired more lines than no cap, in every seed; 300 is kept as
# the milder.)
TECH_RANK_CAP = 300

# Bonus of a bigram of a Taiwan term (see `main`).
TW_BONUS = 1.0

# Words of software documentation, written by hand: manual page section names and
# the vocabulary of commands, files, processes, networks and programming. jieba's
# dictionary counts some of them rarely or not at all (`总览` 3, `口令`, `套接字`), so
# a lost byte in them was completed into a commoner neighbour (`总见`). Each adjacent
# hanzi pair gets at least DOC_TERM_BONUS, as Taiwan's terms do.
DOC_TERMS = (
    "名称 总览 概述 语法 描述 说明 选项 参数 返回值 退出状态 错误 环境变量 文件 示例 "
    "范例 注意 缺陷 错误报告 作者 参见 另见 版权 历史 标准 兼容性 诊断 翻译 "
    "命令行 标准输入 标准输出 标准错误 文件名 目录 路径 符号链接 硬链接 权限 属主 属组 "
    "用户名 组名 进程 线程 信号 管道 命名管道 套接字 端口 主机名 域名 协议 守护进程 "
    "内核 模块 驱动程序 设备 分区 文件系统 挂载 卸载 交换分区 缓冲区 缓存 内存 字节 "
    "字符 字符串 字符集 编码 正则表达式 通配符 变量 函数 宏 共享库 静态库 头文件 源码 "
    "源代码 编译 链接 调试 配置文件 默认值 缺省值 实参 系统调用 超时 日志 时间戳 格式 "
    "查询 搜索 搜寻 匹配 替换 删除 复制 重命名 压缩 解压缩 归档 打包 备份 恢复 升级 "
    "安装 版本 补丁 许可证 文档 手册 手册页 在线帮助 主页 键盘 终端 控制台 光标 窗口 "
    "屏幕 字体 快捷键 空格 制表符 换行符 分隔符 注释 引号 括号 斜杠 反斜杠 星号 整数 "
    "浮点数 十六进制 八进制 十进制 二进制 数组 指针 结构体 对象 类型 实例 接口 请求 "
    "响应 客户端 服务器 连接 会话 认证 密码 口令 密钥 公钥 私钥 证书 加密 解密 签名 "
    "校验和 散列"
).split()

# Least bonus of a bigram of DOC_TERMS (see `main`): a word among the dictionary's few
# thousand commonest. (On our four case sets 1.0, 1.5, 2.0 and 3.0 each repaired more
# lines than the one before, and none fewer in any chain; 3.0, the dictionary's top,
# would weigh the words of one kind of text as its commonest words.)
DOC_TERM_BONUS = 2.0

# Least bonus of a bigram (see `main`).
BONUS_FLOOR = 0.1


def han(c):
    return 0x3400 <= ord(c) <= 0x9FFF


def rank_cost(r):
    """The cost of the hand-written list's character of rank `r` (0: the commonest)."""
    return 0.5 + 0.25 * math.log(1 + r)


def raise_word_pairs(bonus, w, b):
    """Raises the bonus of every adjacent hanzi pair of `w` (both in the BMP) to `b`."""
    for k in (x + y for x, y in zip(w, w[1:])):
        if han(k[0]) and han(k[1]) and all(ord(x) <= 0xFFFF for x in k):
            bonus[k] = max(bonus.get(k, 0.0), b)


def main():
    jieba, opencc = sys.argv[1], sys.argv[2]
    uni, bi = Counter(), Counter()
    for line in open(jieba, encoding="utf-8"):
        parts = line.split()
        if len(parts) < 2:
            continue
        w, f = parts[0], int(parts[1])
        for c in w:
            if han(c):
                uni[c] += f
        for a, b in zip(w, w[1:]):
            if han(a) and han(b):
                bi[a + b] += f
    s2t, t2s = {}, {}
    for line in open(f"{opencc}/STCharacters.txt", encoding="utf-8"):
        if line.startswith("#"):
            continue
        k, v = line.rstrip("\n").split("\t")
        s2t[k] = v.split(" ")[0]
    for line in open(f"{opencc}/TSCharacters.txt", encoding="utf-8"):
        if line.startswith("#"):
            continue
        k, v = line.rstrip("\n").split("\t")
        t2s[k] = v.split(" ")[0]
    total = sum(uni.values())
    cost = {}
    for c, f in uni.items():
        cost[c] = 0.7 + max(0.0, -math.log(f / total) - 3.5) * 0.35
    for t, s in t2s.items():
        if len(t) == 1 and s in cost and han(t) and ord(t) <= 0xFFFF:
            cost[t] = min(cost.get(t, 99.0), cost[s])
    seen = []
    for c in TOP:
        if c not in seen:
            seen.append(c)
    for r, c in enumerate(seen):
        v = rank_cost(r)
        cost[c] = min(cost.get(c, 99.0), v)
        t = s2t.get(c)
        if t and t != c:
            cost[t] = min(cost.get(t, 99.0), v)
    # Software documentation's characters are at least as cheap as the
    # TECH_RANK_CAP-th commonest character (`值` of `的值` is far commoner there
    # than the general list's rank makes it).
    v_tech = rank_cost(TECH_RANK_CAP)
    for c in TOP_TECH:
        for x in (c, s2t.get(c, c)):
            cost[x] = min(cost.get(x, 99.0), v_tech)
    cost = {c: v for c, v in cost.items() if v < 6.0 and ord(c) <= 0xFFFF}
    # Every bigram; the bonus scale is anchored at the 60,000th commonest (bonus 0.5),
    # and the rarer ones get at least BONUS_FLOOR (a word the dictionary knows, however
    # rare, is evidence: `返回值` has frequency 3).
    common = [(k, f) for k, f in bi.most_common() if all(ord(x) <= 0xFFFF for x in k)]
    f_cut = max(1, common[min(59999, len(common) - 1)][1]) if common else 1
    bonus = {}
    for k, f in common:
        b = max(BONUS_FLOOR, min(3.0, 0.5 + 0.3 * math.log(f / f_cut)))
        bonus[k] = b
        tk = "".join(s2t.get(x, x) for x in k)
        if tk != k and tk not in bonus:
            bonus[tk] = b
    # Taiwan's own terms (OpenCC's TWPhrases.txt values: 字元, 物件, 程式), which
    # jieba's mainland dictionary lacks, with the bonus of a common word.
    for line in open(f"{opencc}/TWPhrases.txt", encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        for w in line.rstrip("\n").split("\t")[1].split(" "):
            raise_word_pairs(bonus, w, TW_BONUS)
    # Software documentation's words (DOC_TERMS), in both scripts.
    for w in DOC_TERMS:
        for form in (w, "".join(s2t.get(x, x) for x in w)):
            raise_word_pairs(bonus, form, DOC_TERM_BONUS)
    out = sys.stdout.buffer
    out.write(b"ZHMJ1")
    out.write(struct.pack("<I", len(cost)))
    for c in sorted(cost):
        out.write(struct.pack("<HB", ord(c), min(255, round(cost[c] * 20))))
    keys = sorted((ord(k[0]) << 16 | ord(k[1]), v) for k, v in bonus.items())
    out.write(struct.pack("<I", len(keys)))
    for k, v in keys:
        out.write(struct.pack("<IB", k, round(v * 20)))
    # Script: characters only simplified text uses (1) and only traditional (2).
    script = {}
    for k, v in s2t.items():
        if len(k) == 1 and v != k and ord(k) <= 0xFFFF:
            script[k] = 1
    for k, v in t2s.items():
        if len(k) == 1 and v != k and ord(k) <= 0xFFFF and k not in script:
            script[k] = 2
    out.write(struct.pack("<I", len(script)))
    for c in sorted(script):
        out.write(struct.pack("<HB", ord(c), script[c]))


main()
