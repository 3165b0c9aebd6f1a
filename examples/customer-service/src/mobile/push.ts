// Push notifications for ticket updates in the customer app.
//
// implements REQ-0033: notify the customer when an agent replies, without
// putting message content on the lock screen, and honour the opt-out.

export type Platform = "ios" | "android";

export interface Device {
  token: string;
  platform: Platform;
  locale: string;
}

export interface Preferences {
  ticketNotifications: boolean;
}

export interface TicketReply {
  ticketNumber: number;
  tenantName: string;
  fromAgent: boolean;
  internal: boolean;
}

export interface Push {
  token: string;
  platform: Platform;
  title: string;
  body: string;
  data: Record<string, string>;
}

const texts: Record<string, (tenant: string) => string> = {
  en: (t) => `You have a new reply from ${t} support`,
  zh: (t) => `您在${t}客服有一条新回复`,
};

/** Builds the notifications for a reply; empty when none should be sent. */
export function notificationsFor(reply: TicketReply, devices: Device[], prefs: Preferences): Push[] {
  if (!reply.fromAgent || reply.internal || !prefs.ticketNotifications) {
    return [];
  }
  return devices.map((d) => {
    const text = (texts[d.locale.slice(0, 2)] ?? texts.en)(reply.tenantName);
    return {
      token: d.token,
      platform: d.platform,
      title: reply.tenantName,
      body: text, // never the message itself: it shows on the lock screen
      data: { ticket: String(reply.ticketNumber) },
    };
  });
}
