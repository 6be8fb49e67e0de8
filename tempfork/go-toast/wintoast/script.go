package wintoast

import (
	"io"
	"strings"
)

// writePowershell writes the script that shows a toast through PowerShell
// when the COM API is unavailable: tmpl/powershell.go.tmpl, written out here
// rather than by executing tmpl.ScriptTemplate (executing a text/template
// costs a program about 1 MB: see buildXML in package toast). appID goes in a
// single-quoted PowerShell string, where a quote is written twice; xml in a
// here-string, which only a line starting with "@ would end.
func writePowershell(w io.Writer, appID, xml string) error {
	if appID == "" {
		appID = "Windows App"
	}
	var b strings.Builder
	b.WriteString("[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null\n")
	b.WriteString("[Windows.UI.Notifications.ToastNotification, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null\n")
	b.WriteString("[Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] | Out-Null\n")
	b.WriteString("\n$APP_ID = '")
	b.WriteString(strings.ReplaceAll(appID, "'", "''"))
	b.WriteString("'\n\n$template = @\"\n")
	b.WriteString(xml)
	b.WriteString("\n\"@\n\n")
	b.WriteString("$xml = New-Object Windows.Data.Xml.Dom.XmlDocument\n")
	b.WriteString("$xml.LoadXml($template)\n")
	b.WriteString("$toast = New-Object Windows.UI.Notifications.ToastNotification $xml\n")
	b.WriteString("[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($APP_ID).Show($toast)")
	_, err := io.WriteString(w, b.String())
	return err
}
