package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// pageParams are the query parameters of every list that pages.
var pageParams = []param{
	{"limit", "integer", "rows per page, 1.." + strconv.Itoa(page.MaxLimit) + ", default " + strconv.Itoa(page.DefaultLimit)},
	{"cursor", "string", "next_cursor of the page before; absent for the first page"},
}

// listPage is a page of a list: the rows in data, and next_cursor to fetch
// the next page (null on the last).
type listPage struct {
	Data       any     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// pageRequest reads limit and cursor; the list checks the cursor itself.
func pageRequest(c echo.Context) (page.Request, error) {
	r := page.Request{Cursor: c.QueryParam("cursor")}
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > page.MaxLimit {
			return r, fault.Invalidf("limit", "must be a whole number 1..%d, not %q", page.MaxLimit, raw)
		}
		r.Limit = n
	}
	return r, nil
}

func replyPage(c echo.Context, rows any, next string) error {
	out := listPage{Data: rows}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(http.StatusOK, out)
}
