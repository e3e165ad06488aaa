import { Svg, type IconProps } from "../ui/icons";

/** Two speech bubbles: a conversation of several voices. */
export const IconGroupChat = (p: IconProps) => (
  <Svg {...p}>
    <path d="M14 9a5 5 0 0 1-5 5H6l-3 3v-8a5 5 0 0 1 5-5h1a5 5 0 0 1 5 5Z" />
    <path d="M17 9.5a4.5 4.5 0 0 1 4 4.5v6l-2.5-2.5H15a4.5 4.5 0 0 1-4-2.5" />
  </Svg>
);

export const IconUsers = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
    <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18.5 14.2A6.5 6.5 0 0 1 21.5 20" />
  </Svg>
);
