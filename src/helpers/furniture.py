r"""Drop the page furniture of government web sites while normalising, keeping the map to the raw file.

Reports scraped from a site's page carry its controls and labels as lines of their own: ``下载`` / ``打印`` /
``全屏`` / ``收藏``, the font-size control (``【字号：`` ``加大`` ``还原`` ``减小`` ``】``), ``【关闭】``,
``相关报道：``, the page's ``来源：`` / ``时间：`` / ``作者：`` / ``责编：`` lines and a photo's caption
(``…作政府工作报告。本报记者 戴冰摄``). None is the report's text: left in, they become its preamble's words,
its title, its "heading". Lines are judged as the normaliser cleans them, before it joins broken ones. Only
whole lines that are nothing but furniture are dropped: a sentence that mentions 来源 or 打印 stays, and labels
and captions count only in the page's head (after the body, ``责编：…`` belongs to the sign-off). The result is
a :class:`~helpers.normalise.NormalisedText` whose characters still map to the raw file.
"""

from __future__ import annotations

import re

from helpers.normalise import NormalisedText, normalise

#: A page control or label alone on its line.
_CONTROL = re.compile(
    r"(下载|打印|全屏|收藏|分享|加大|还原|减小|默认|大|中|小|】|【字号[：:]?.{0,12}|"
    r"【(关闭|打印|关闭窗口|打印本页|返回顶部|大|中|小)】|关闭窗口|打印本页|返回顶部|相关(报道|链接|新闻)[：:]?|"
    r"扫一扫.{0,12}|分享到[：:]?.{0,12})"
)
#: A label of the page: source, time, author, editor, hits (with a short value).
_LABEL = re.compile(
    r"(来源|时间|发布时间|发布日期|日期|作者|责编|责任编辑|编辑|审核|浏览次数|点击数|阅读数|信息来源|文章来源)"
    r"[：:].{0,40}"
)
#: A photo caption: ends with the photographer (``本报记者 戴冰摄``, ``…日报记者 盛学卿``).
_CAPTION = re.compile(r".{0,40}(记者|通讯员|摄影)[ ·]?[\u4e00-\u9fff]{2,4}( ?摄)?")
#: A caption or label line is never longer than this.
_MAX_LINE = 60


def is_furniture(line: str, head: bool = True) -> bool:
    """Whether a (normalised, stripped) line is nothing but page furniture.

    Args:
        line: the line.
        head: whether it stands in the page's head, before the report's first paragraph. A label or a caption
            is furniture only there: after the body, ``责编：…`` is the report's sign-off, kept with it.

    Example:
        >>> is_furniture("【字号：")
        True
        >>> is_furniture("来源：北京日报")
        True
        >>> is_furniture("我们加大了执法检查力度。")
        False
    """
    if not line or len(line) > _MAX_LINE:
        return False
    return bool(_CONTROL.fullmatch(line) or (head and (_LABEL.fullmatch(line) or _CAPTION.fullmatch(line))))


class PageFurniture:
    """What :func:`helpers.normalise.normalise` is given to drop furniture lines (``normalise(raw, drop=…)``).

    Called with each line in order (before broken lines are joined: a caption must not be glued to the
    ``各位代表：`` after it), it keeps track of the page's head and counts what it dropped.
    """

    def __init__(self) -> None:
        """Start at the page's head, nothing dropped."""
        self.head = True
        self.dropped = 0

    def __call__(self, line: str) -> bool:
        """Whether to drop ``line``."""
        self.head = self.head and len(line) <= _MAX_LINE
        if is_furniture(line, self.head):
            self.dropped += 1
            return True
        return False


def drop_furniture(raw: str) -> tuple[NormalisedText, int]:
    """A raw text normalised without its furniture lines (the map to the raw text kept), and how many were dropped."""
    furniture = PageFurniture()
    return normalise(raw, drop=furniture), furniture.dropped


__all__ = ["PageFurniture", "drop_furniture", "is_furniture"]
